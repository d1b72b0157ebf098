import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact } from '../../../contract/step.js';
import { readWeighting } from '../../../steps/render/weighting.js';
import { CORRELATIONS_WEIGHTED_HEADER, EXPERIMENT_WEIGHTED_HEADER, TABLE2_WEIGHTED_HEADER, WEIGHTING_HEADER } from '../../../lib/table/weight-tables.js';
import { dataError } from '../../data-error.js';

const headers = {
  weighting: ['weights:weighting.csv', WEIGHTING_HEADER],
  weightedLevels: ['weights:table2-weighted.csv', TABLE2_WEIGHTED_HEADER],
  weightedCorrelations: ['weights:correlations-weighted.csv', CORRELATIONS_WEIGHTED_HEADER],
  weightedExperiment: ['weights:experiment-weighted.csv', EXPERIMENT_WEIGHTED_HEADER],
} as const;
const inputs = (drop?: { input: keyof typeof headers; column: string }) =>
  Object.fromEntries(
    Object.entries(headers).map(([input, [path, header]]) => [input, [artifact(path, `${header.filter((c) => input !== drop?.input || c !== drop.column).join(',')}\n`)]]),
  );

test('the weights step\'s tables are read when they have the columns schemas/weights.tables.json lists', () => {
  assert.equal(readWeighting(inputs())!.areas, []);
});

test('a weights table without one of its columns is a DataError naming file and column', () => {
  for (const [input, column] of [['weighting', 'kish_deff'], ['weightedLevels', 'ci_high'], ['weightedExperiment', 'p']] as const) {
    const e = dataError(() => readWeighting(inputs({ input, column })));
    assert.equal(e.where, { file: headers[input][0], line: 1, column }, input);
    assert.match(e.message, 'schemas/weights.tables.json');
  }
});

test.run();
