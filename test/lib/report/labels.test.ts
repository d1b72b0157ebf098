import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact } from '../../../contract/step.js';
import { loadStudy } from '../../../lib/survey/study.js';
import { studyLabels } from '../../../lib/report/labels.js';
import { labels, studyText } from '../../study.js';

/** A second study: the areas in another order, a predictor relabelled, one arm fewer. */
function otherStudy() {
  const doc = JSON.parse(studyText);
  doc.areas.reverse();
  doc.predictors.conditions.label = 'Local conditions';
  delete doc.experiment.arms.both;
  return studyLabels(loadStudy(artifact('raw/other-study.json', JSON.stringify(doc))));
}

test('two studies in one process keep their own labels and orders, whichever was built last', () => {
  const other = otherStudy();
  assert.is(labels.predictorLabel('conditions'), 'Perceived local conditions');
  assert.is(other.predictorLabel('conditions'), 'Local conditions');
  assert.equal(['Wolverhampton', 'Barnet'].sort(labels.compareAreas), ['Barnet', 'Wolverhampton']);
  assert.equal(['Barnet', 'Wolverhampton'].sort(other.compareAreas), ['Wolverhampton', 'Barnet']);
  assert.equal([labels.armNames(), other.armNames()], [['none', 'A', 'B', 'both'], ['none', 'A', 'B']]);
  assert.equal(other.terms(), ['nudge_a', 'nudge_b']);
  assert.equal(labels.itemOutcomes(), [
    { name: 'current_time', heading: 'Gives at least a few hours a month now (%)' },
    { name: 'more_time', heading: 'Would give at least a few more hours a month (%)' },
  ]);
});

test.run();
