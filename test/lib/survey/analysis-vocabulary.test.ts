import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allVariables, compareGroups, nudgeTerms, variableOf } from '../../../lib/survey/analysis-vocabulary.js';
import { vocabulary } from '../../study.js';

test("layout: every predictor column in the study's table order, unsplit question before its sub-items", () => {
  const columns = allVariables(vocabulary).map((v) => v.column);
  assert.equal(columns.slice(0, 3), ['conditions', 'conditions/crime', 'conditions/anti-social behaviour']);
  assert.equal(columns.slice(-3), ['gender', 'age', 'ethnicity']);
  assert.is(columns.length, 5 * 9 + 3);
  assert.equal(variableOf('self_efficacy/crime & ASB'), { predictor: 'self_efficacy', item: 'crime & ASB', column: 'self_efficacy/crime & ASB' });
  assert.equal(vocabulary.versions, ['crime', 'anti-social behaviour']);
  assert.equal(nudgeTerms(vocabulary), [{ term: 'nudge_a', nudge: 'A' }, { term: 'nudge_b', nudge: 'B' }, { term: 'both', nudge: 'both' }]);
});

test("layout: groups order by wave, then area, then theme in the study's order; names it lacks come last", () => {
  const groups = [
    { wave: 2014, area: 'Barnet', theme: 'wellbeing' },
    { wave: 2013, area: 'Leeds', theme: 'environment' },
    { wave: 2013, area: 'Wolverhampton', theme: 'environment' },
    { wave: 2013, area: 'Barnet', theme: 'wellbeing' },
    { wave: 2013, area: 'Barnet', theme: 'community safety' },
  ];
  assert.equal([...groups].sort(compareGroups(vocabulary)), [groups[4], groups[3], groups[2], groups[1], groups[0]]);
});

test.run();
