import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { weightedPrimary } from '../../../steps/render/weighted-estimates.js';
import type { WeightingTables } from '../../../steps/render/weighting.js';
import type { CorrelationRow, LevelRow } from '../../../lib/report/inputs.js';

const level = (area: string): LevelRow => ({ at: area === 'Barnet' ? 1 : 2, wave: 2013, area, theme: 'environment', respondents: 10, individual_pct: 40, collective_pct: 20, willing_pct: null });
const correlation = (area: string): CorrelationRow => ({ at: 1, wave: 2013, area, theme: 'environment', predictor: 'conditions', item: '', r: 0.1, n: 10, p: 0.5, stars: '', ci_low: -0.5, ci_high: 0.6, p_bh: 0.5, method: 'pearson' });
const area = (name: string, margins: string) => ({ wave: 2013, area: name, margins, population: 'synthetic', respondents: 10, weighted: margins ? 9 : 0, withoutWeight: margins ? 1 : 10, passes: null, converged: '', deff: null, minWeight: null, maxWeight: null, note: '' });
const weighting = {
  areas: [area('Barnet', 'gender'), area('Bristol', '')],
  levels: [
    { at: 1, wave: 2013, area: 'Barnet', theme: 'environment', measure: 'individual', unweighted: 40, weighted: 45.5, ciLow: 40.1, ciHigh: 50.9, weightedCount: 9 },
    { at: 2, wave: 2013, area: 'Barnet', theme: 'environment', measure: 'collective', unweighted: 20, weighted: 18.25, ciLow: null, ciHigh: null, weightedCount: 9 },
  ],
  correlations: [{ at: 1, wave: 2013, area: 'Barnet', theme: 'environment', outcome: 'collective', predictor: 'conditions', item: '', n: 9, r: 0.3, se: 0.1, ciLow: 0.1, ciHigh: 0.5, p: 0.003 }],
  arms: [],
  gathered: {} as WeightingTables['gathered'],
} satisfies WeightingTables;

test('weightedPrimary: a weighted area takes the weighted levels, intervals, counts and r, each addressed in its weighted table; an unweighted area keeps its rows', () => {
  const got = weightedPrimary({ levels: [level('Barnet'), level('Bristol')], individual: [correlation('Barnet')], collective: [correlation('Barnet'), correlation('Bristol')] }, weighting);
  assert.equal(got.levels[0], {
    at: 1,
    wave: 2013,
    area: 'Barnet',
    theme: 'environment',
    respondents: 9,
    individual_pct: 45.5,
    collective_pct: 18.25,
    willing_pct: null,
    ci: { individual: [40.1, 50.9], collective: null, willing: null },
    cells: {
      respondents: 'table2-weighted.csv:1:weighted',
      individual_pct: 'table2-weighted.csv:1:weighted_pct',
      individual_ci_low: 'table2-weighted.csv:1:ci_low',
      individual_ci_high: 'table2-weighted.csv:1:ci_high',
      collective_pct: 'table2-weighted.csv:2:weighted_pct',
      collective_ci_low: 'table2-weighted.csv:2:ci_low',
      collective_ci_high: 'table2-weighted.csv:2:ci_high',
      willing_pct: undefined,
      willing_ci_low: undefined,
      willing_ci_high: undefined,
    },
  });
  assert.equal(got.levels[1], level('Bristol'));
  // The collective outcome's weighted r; the individual one has no weighted row, so no value.
  assert.equal(got.collective[0], { ...correlation('Barnet'), r: 0.3, n: 9, p: 0.003, stars: '**', ci_low: 0.1, ci_high: 0.5, p_bh: null, cells: { r: 'correlations-weighted.csv:1:r_weighted' } });
  assert.is(got.individual[0]!.r, null);
  assert.equal(got.collective[1], correlation('Bristol'));
});

test('weightedPrimary: without the weights step\'s tables it says what is missing', () => {
  assert.throws(() => weightedPrimary({ levels: [], individual: [], collective: [] }, undefined), /needs the weights step's tables/);
});

test.run();
