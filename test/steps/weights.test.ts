import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { artifact } from '../../contract/step.js';
import weights from '../../steps/weights.js';
import { CORRELATIONS_WEIGHTED_HEADER, TABLE2_WEIGHTED_HEADER, WEIGHTING_HEADER, WEIGHTS_HEADER } from '../../lib/table/weight-tables.js';
import { surveyCorrelation, surveyMean } from '../../lib/stats/survey-estimates.js';
import type { CanonicalRecord } from '../../lib/survey/record.js';
import { activities, record, rows, scoresInput, text } from '../lib/table/records.js';
import { dataError } from '../data-error.js';
import { expandedRows } from '../row-lineage.js';

const schema = artifact('schemas/population-margins.schema.json', readFileSync(new URL('../../schemas/population-margins.schema.json', import.meta.url)));
const marginsOf = (areas: object) => artifact('raw/population-margins.json', JSON.stringify({ source: 'test', synthetic: true, areas }));

/**
 * Derbyshire Dales: four women (index 0, 50, 50, 100) and two men (index 100, 100), a seventh respondent
 * without gender. Half the population is male, so raking to gender alone weights each woman 25 and each
 * man 50 (population 200): women (mean index 50) and men (mean 100) count equally, so the weighted index is 75.
 */
function dales(): CanonicalRecord[] {
  const people: [number | null, number][] = [[0, 0], [0, 2], [0, 2], [0, 4], [1, 4], [1, 4], [null, 0]];
  return people.map(([gender, positive], i) =>
    record('Derbyshire Dales', `d${i}`, { environment: { activities: activities(positive, 4), join_groups: positive > 2 ? 1 : 3 } }, { gender: gender as 0 | 1 | null }),
  );
}

async function run(records: CanonicalRecord[], areas: object) {
  return weights({ ...(await scoresInput(records)), margins: [marginsOf(areas)], marginsSchema: [schema] }, {});
}

test('weights: raking to one margin post-stratifies, and the weighted level follows the weights', async () => {
  const out = await run(dales(), { 'Derbyshire Dales': { margins: { gender: { '0': 100, '1': 100 } } } });
  assert.is(text(out, 'weights.csv').split('\n')[0], WEIGHTS_HEADER.join(','));
  assert.equal(rows(text(out, 'weights.csv')).map((r) => [r[2], Number(r[3])]), [['d0', 25], ['d1', 25], ['d2', 25], ['d3', 25], ['d4', 50], ['d5', 50]]);
  const [report] = rows(text(out, 'weighting.csv'));
  assert.is(text(out, 'weighting.csv').split('\n')[0], WEIGHTING_HEADER.join(','));
  // Converged in the second pass, which moved nothing (survey::rake counts passes so too).
  assert.equal(report!.slice(0, 9), ['2013', 'Derbyshire Dales', 'gender', 'synthetic', '7', '6', '1', '2', 'yes'], 'the respondent without gender is counted, not weighted');
  // Kish: n Σw² / (Σw)² = 6 · (4·625 + 2·2500) / 200² = 1.125.
  assert.is(report![9], '1.1250');
  const levels = rows(text(out, 'table2-weighted.csv'));
  assert.is(text(out, 'table2-weighted.csv').split('\n')[0], TABLE2_WEIGHTED_HEADER.join(','));
  const individual = levels.find((r) => r[5] === 'individual')!;
  assert.equal(individual.slice(0, 8), ['2013', 'Derbyshire Dales', 'environment', '7', '6', 'individual', '57.14', '75.00']);
  // The interval is the design-based one of the same weights and raking (checked against R in the stats tests).
  const y = [0, 50, 50, 100, 100, 100];
  const est = surveyMean(y, { weights: [25, 25, 25, 25, 50, 50], raking: { margins: [{ cells: [0, 0, 0, 0, 1, 1], weights: Float64Array.from([25, 25, 25, 25, 50, 50]) }] } });
  assert.is(individual[8], est.se.toFixed(2));
  // Each weighted level rests on the scores rows of its weighted respondents: d0-d5, not d6 (no gender).
  const lineage = JSON.parse(text(out, 'table2-weighted.csv.lineage.json'));
  assert.equal(lineage.inputs, ['index:scores.arrow']);
  assert.equal(expandedRows(text(out, 'table2-weighted.csv.lineage.json'))[0], [[0, [1, 2, 3, 4, 5, 6]]]);
  assert.equal(expandedRows(text(out, 'weighting.csv.lineage.json')), [[[0, [1, 2, 3, 4, 5, 6, 7]]]]);
});

test('weights: a weighted correlation carries its design-based SE, Fisher-z interval and Wald test, on the same raking', async () => {
  // conditions 1-4 over the six weighted respondents; the seventh (no gender) is left out.
  const conditions = [1, 2, 2, 3, 4, 3, 1] as const;
  const records = dales().map((r, i) => ({ ...r, themes: { environment: { ...r.themes.environment, conditions: conditions[i] } } }));
  const out = await run(records, { 'Derbyshire Dales': { margins: { gender: { '0': 100, '1': 100 } } } });
  assert.is(text(out, 'correlations-weighted.csv').split('\n')[0], CORRELATIONS_WEIGHTED_HEADER.join(','));
  const row = rows(text(out, 'correlations-weighted.csv')).find((r) => r[3] === 'individual' && r[4] === 'conditions')!;
  const design = { weights: [25, 25, 25, 25, 50, 50], raking: { margins: [{ cells: [0, 0, 0, 0, 1, 1], weights: Float64Array.from([25, 25, 25, 25, 50, 50]) }] } };
  const est = surveyCorrelation([0, 50, 50, 100, 100, 100], [1, 2, 2, 3, 4, 3], design);
  assert.equal(row.slice(6), ['6', est.r.toFixed(6), est.se.toFixed(6), est.ciLow.toFixed(6), est.ciHigh.toFixed(6), est.z.toFixed(4), Number(est.p.toPrecision(6)).toString()]);
  assert.equal(expandedRows(text(out, 'correlations-weighted.csv.lineage.json'))[0], [[0, [1, 2, 3, 4, 5, 6]]]);
});

test('weights: a joint age band x gender margin rakes to its cells; where gender alone was asked it is summed over age', async () => {
  // Ages 1, 1, 2, 2 for the women and 1, 2 for the men; cells 1:0, 2:0 (two women each), 1:1, 2:1 (one man each).
  const ages = [1, 1, 2, 2, 1, 2, null] as const;
  const records = dales().map((r, i) => ({ ...r, age_band: ages[i] }));
  const joint = { 'age_band:gender': { '1:0': 30, '2:0': 70, '1:1': 40, '2:1': 60 } };
  const out = await run(records, { 'Derbyshire Dales': { margins: joint } });
  // One joint margin is post-stratification: each cell's population over its respondents.
  assert.equal(rows(text(out, 'weights.csv')).map((r) => Number(r[3])), [15, 15, 35, 35, 40, 60]);
  assert.equal(rows(text(out, 'weighting.csv'))[0]!.slice(2, 9), ['age_band x gender', 'synthetic', '7', '6', '1', '2', 'yes']);
  // Without age asked, the same margin is gender's: 100 women, 100 men.
  const genderOnly = await run(dales(), { 'Derbyshire Dales': { margins: joint } });
  assert.equal(rows(text(genderOnly, 'weights.csv')).map((r) => Number(r[3])), [25, 25, 25, 25, 50, 50]);
  assert.is(rows(text(genderOnly, 'weighting.csv'))[0]![2], 'gender');
});

test('weights: the arms refitted by weighted least squares estimate differences of weighted arm means', async () => {
  // Women (weight 25): none 0, A 50, B 50, both 100; men (weight 50): none 100, A 100. The seventh has no gender.
  const nudges = ['none', 'A', 'B', 'both', 'none', 'A', 'none'] as const;
  const records = dales().map((r, i) => ({ ...r, nudge: nudges[i] }));
  const out = await run(records, { 'Derbyshire Dales': { margins: { gender: { '0': 100, '1': 100 } } } });
  const rowsOf = rows(text(out, 'experiment-weighted.csv')).filter((r) => r[3] === 'individual');
  // none: (25·0 + 50·100)/75 = 66.67; A: (25·50 + 50·100)/75 = 83.33; B 50; both 100.
  assert.equal(rowsOf.map((r) => [r[4], r[5], r[9], r[10]]), [['nudge_a', '16.6667', '6', '2'], ['nudge_b', '-16.6667', '6', '2'], ['both', '33.3333', '6', '2']]);
});

test('weights: an area that asked no demographics, or has no margins, stays unweighted and says why', async () => {
  const bristol = dales().map((r) => ({ ...r, area: 'Bristol' as const, gender: undefined }));
  const out = await run(bristol, { 'Derbyshire Dales': { margins: { gender: { '0': 1, '1': 1 } } } });
  assert.equal(rows(text(out, 'weighting.csv'))[0]!.at(-1), 'unweighted: the area asked no demographics');
  assert.is(text(out, 'weights.csv'), WEIGHTS_HEADER.join(',') + '\n');
  const none = await run(dales(), { Barnet: { margins: { gender: { '0': 1, '1': 1 } } } });
  assert.equal(rows(text(none, 'weighting.csv'))[0]!.at(-1), 'unweighted: no margins for this area in the margins file');
});

test('weights: trimming caps the largest weights at a multiple of their mean, keeping the total', async () => {
  const out = await weights({ ...(await scoresInput(dales())), margins: [marginsOf({ 'Derbyshire Dales': { margins: { gender: { '0': 100, '1': 100 } } } })], marginsSchema: [schema] }, { trimUpper: 1.2 });
  const w = rows(text(out, 'weights.csv')).map((r) => Number(r[3]));
  // Mean 33.33; men capped at 40, the 20 cut spread over the four women (+5 each).
  assert.equal(w, [30, 30, 30, 30, 40, 40]);
  assert.is(rows(text(out, 'weighting.csv'))[0]![12], '6');
});

test('weights: margins that break their schema, or lack a code the respondents have, are named', async () => {
  const scores = (await scoresInput(dales())).scores;
  const bad = dataError(() => weights({ scores, margins: [artifact('raw/population-margins.json', '{"source": "x", "synthetic": true, "areas": {"Barnet": {"margins": {"gender": {"0": "many", "1": 3}}}}}')], marginsSchema: [schema] } as any, {}));
  assert.is(bad.where.file, 'raw/population-margins.json');
  assert.is(bad.where.path, '/areas/Barnet/margins/gender/0');
  const unknown = await run(dales(), { 'Derbyshire Dales': { margins: { income: { '1': 5, '2': 5 } } } }).catch((e) => e);
  assert.match(unknown.message, 'a margin for "income", which is not a demographic of the study');
  assert.is(unknown.where.path, '/areas/Derbyshire Dales/margins/income');
  const missing = await (async () => {
    try {
      await run(dales(), { 'Derbyshire Dales': { margins: { gender: { '0': 100, '2': 100 } } } });
    } catch (e) {
      return e as any;
    }
  })();
  assert.match(missing.message, 'respondent d4 has gender 1, which the margins file has no total for');
  assert.is(missing.where.path, '/areas/Derbyshire Dales/margins/gender');
  const wrongCell = await run(dales(), { 'Derbyshire Dales': { margins: { 'age_band:gender': { '1:0': 5, '1': 5 } } } }).catch((e) => e);
  assert.match(wrongCell.message, 'margin "age_band:gender" has the cell "1": a cell gives one code for each');
  assert.is(wrongCell.where.path, '/areas/Derbyshire Dales/margins/age_band:gender/1');
});

test.run();
