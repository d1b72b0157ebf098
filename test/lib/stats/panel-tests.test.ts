import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { bootstrapCorrelationChange, bootstrapIndices, mcnemar, panelResample, quantile7, standardisedMeanDifference } from '../../../lib/stats/panel-tests.js';
import { BOOTSTRAP, indicesCsv } from '../../fixtures/bootstrap-indices.js';
import { assertAbsolute, assertRelative } from './r-reference.js';
import { surveyReference as R, surveyTable } from './survey-reference.js';

const stayers = surveyTable('stayers');
const leavers = surveyTable('leavers');
const joiners = surveyTable('joiners');
const groups = {
  stayersBefore: { x: stayers.x_before!, y: stayers.y_before! },
  stayersAfter: { x: stayers.x_after!, y: stayers.y_after! },
  leavers: { x: leavers.x!, y: leavers.y! },
  joiners: { x: joiners.x!, y: joiners.y! },
};

test("the resample positions R used are the project's own draws from the stated seed", () => {
  assert.fixture(readFileSync(new URL('../../fixtures/survey/bootstrap-indices.csv', import.meta.url), 'utf8'), indicesCsv());
});

test('the bootstrap change in r, resampling stayers once for both waves, matches R on the same draws', () => {
  const got = bootstrapCorrelationChange(groups, bootstrapIndices(BOOTSTRAP.sizes, BOOTSTRAP.replicates, BOOTSTRAP.seed));
  const want = R.panel_tests.correlation_change;
  assertAbsolute(got.change, want.observed, 1e-12, 'observed change');
  assert.is(got.replicates.length, want.replicates.length);
  got.replicates.forEach((r, b) => assertAbsolute(r, want.replicates[b]!, 1e-12, `replicate ${b + 1}`));
  assertRelative(got.se, want.se, 1e-9, 'bootstrap SE');
  assertAbsolute(got.ci.lower, want.ci_lower, 1e-12, 'percentile CI lower');
  assertAbsolute(got.ci.upper, want.ci_upper, 1e-12, 'percentile CI upper');
  assertRelative(got.p, want.p, 1e-9, 'p');
});

test('panelResample addresses each wave stayers first, then those in that wave only', () => {
  const draws = [[Int32Array.from([1, 0]), Int32Array.from([2, 2, 0]), Int32Array.from([0])]];
  const { before, after } = panelResample(draws);
  assert.equal(before.map((b) => Array.from(b)), [[1, 0, 4, 4, 2]]);
  assert.equal(after.map((a) => Array.from(a)), [[1, 0, 2]]);
});

test('draws laid out once by panelResample give a correlation the same change, to the bit, as its own draws', () => {
  const draws = bootstrapIndices(BOOTSTRAP.sizes, BOOTSTRAP.replicates, BOOTSTRAP.seed);
  const shared = bootstrapCorrelationChange(groups, panelResample(draws));
  const own = bootstrapCorrelationChange(groups, draws);
  assert.equal({ ...shared, replicates: Array.from(shared.replicates) }, { ...own, replicates: Array.from(own.replicates) });
});

test('the same seed gives the same draws, and each draw lies in its group', () => {
  const a = bootstrapIndices([3, 5], 4, 7);
  assert.equal(a, bootstrapIndices([3, 5], 4, 7));
  assert.ok(a.every(([x, y]) => x!.length === 3 && y!.length === 5 && x!.every((i) => i >= 0 && i < 3) && y!.every((i) => i >= 0 && i < 5)));
  assert.throws(() => bootstrapIndices([3], 1, 0), /seed must be a whole number from 1/);
});

for (const c of R.panel_tests.mcnemar)
  test(`McNemar on ${c.no_to_yes} against ${c.yes_to_no} discordant pairs${c.correct ? '' : ' (uncorrected)'} matches mcnemar.test`, () => {
    const got = mcnemar(c.no_to_yes, c.yes_to_no, { correct: c.correct });
    assertAbsolute(got.statistic, c.statistic, 1e-12, 'statistic');
    assertRelative(got.p, c.p, 1e-9, 'p');
  });

test('McNemar with no discordant pair has nothing to test', () => {
  assert.ok(Number.isNaN(mcnemar(0, 0).p));
});

test('standardised mean differences match the formula computed in R', () => {
  const columns: Record<string, Float64Array> = { 'leavers.y': leavers.y!, 'leavers.x': leavers.x!, 'stayers.y_before': stayers.y_before!, 'stayers.x_before': stayers.x_before! };
  for (const c of R.panel_tests.smd) assertAbsolute(standardisedMeanDifference(columns[c.a]!, columns[c.b]!), c.value, 1e-12, `${c.a} against ${c.b}`);
});

test("quantiles interpolate as R's type 7", () => {
  assert.is(quantile7([1, 2, 3, 4], 0.5), 2.5);
  assert.is(quantile7([1, 2, 3, 4], 0), 1);
  assert.is(quantile7([1, 2, 3, 4], 1), 4);
  assert.is(quantile7([10, 20], 0.25), 12.5);
});

test.run();
