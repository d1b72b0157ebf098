import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CleaningLog } from '../../../lib/survey/cleaning-log.js';
import { changedBetween, outcomeChanges, predictorVariable } from '../../../steps/compare-waves/question-changes.js';
import { vocabulary } from '../../study.js';

const log = (wave: number, codebook: string, changed: { variable: string; changed_from_wave: number }[] = []): CleaningLog =>
  ({
    synthetic: true,
    files: {
      [`raw/${wave}/wolverhampton.csv`]: {
        wave, area: 'Wolverhampton', codebook,
        changed_questions: changed.map((c) => ({ column: 'Q9', note: 'reworded', ...c })),
      },
    },
  }) as unknown as CleaningLog;

const reworded = [{ variable: 'environment/conditions', changed_from_wave: 2013 }];

test('a question the later wave marks as changed since the earlier one is not comparable', () => {
  const c = changedBetween({ wave: 2013, log: log(2013, 'a.json') }, { wave: 2014, log: log(2014, 'a.2014.json', reworded) }, 'Wolverhampton');
  assert.equal([...c.keys()], ['environment/conditions']);
  assert.is(c.get('environment/conditions')!.file, 'raw/2014/wolverhampton.csv');
});

test('a change that predates the earlier wave does not separate two later waves read with one codebook', () => {
  const c = changedBetween({ wave: 2014, log: log(2014, 'a.json', reworded) }, { wave: 2015, log: log(2015, 'a.json', reworded) }, 'Wolverhampton');
  assert.is(c.size, 0);
});

test('a reworded wave followed by a wave read with another codebook (the wording back) is not comparable either', () => {
  const c = changedBetween({ wave: 2014, log: log(2014, 'a.2014.json', reworded) }, { wave: 2015, log: log(2015, 'a.json') }, 'Wolverhampton');
  assert.equal([...c.keys()], ['environment/conditions']);
  assert.is(changedBetween({ wave: 2014, log: log(2014, 'a.2014.json', reworded) }, { wave: 2015, log: log(2015, 'a.json') }, 'Barnet').size, 0);
});

test('predictor and outcome questions map to codebook variables', () => {
  assert.is(predictorVariable(vocabulary, 'environment', 'conditions', ''), 'environment/conditions');
  assert.is(predictorVariable(vocabulary, 'community safety', 'self_efficacy', 'crime'), 'community safety/self_efficacy/crime');
  assert.is(predictorVariable(vocabulary, 'health', 'age', ''), 'age_band');
  const changes = new Map(['wellbeing/activities/visit', 'wellbeing/join_groups', 'health/activities/x'].map((v) => [v, { file: 'f', column: 'c', variable: v, changedFromWave: 2013, note: '' }]));
  assert.equal(outcomeChanges(vocabulary, changes, 'wellbeing', 'individual').map((c) => c.variable), ['wellbeing/activities/visit']);
  assert.equal(outcomeChanges(vocabulary, changes, 'wellbeing', 'collective').map((c) => c.variable), ['wellbeing/join_groups']);
  assert.equal(outcomeChanges(vocabulary, changes, 'environment', 'individual'), []);
});

test.run();
