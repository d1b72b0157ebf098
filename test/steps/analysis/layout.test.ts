import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareGroups, sortVariables, VARIABLES } from '../../../steps/analysis/layout.js';

test('layout: predictor columns sort in table order, unsplit question before its sub-items', () => {
  assert.equal(sortVariables(['age', 'self_efficacy/anti-social behaviour', 'conditions', 'self_efficacy', 'self_efficacy/crime', 'gender']), [
    'conditions', 'self_efficacy', 'self_efficacy/crime', 'self_efficacy/anti-social behaviour', 'gender', 'age',
  ]);
  assert.throws(() => sortVariables(['income']), /unknown predictor column "income"/);
  assert.is(VARIABLES.length, 5 * 9 + 3);
});

test('layout: groups order by wave, then area, then theme in the paper\'s order', () => {
  const groups = [
    { wave: 2014, area: 'Barnet', theme: 'wellbeing' },
    { wave: 2013, area: 'Wolverhampton', theme: 'environment' },
    { wave: 2013, area: 'Barnet', theme: 'wellbeing' },
    { wave: 2013, area: 'Barnet', theme: 'community safety' },
  ] as const;
  assert.equal([...groups].sort(compareGroups), [groups[3], groups[2], groups[1], groups[0]]);
});

test.run();
