import { test } from 'uvu';
import * as assert from 'uvu/assert';
import experiment from '../../steps/experiment.js';
import { EXPERIMENT_HEADER, POWER_HEADER } from '../../lib/table/experiment-tables.js';
import { ols, tQuantile, tTwoSidedP } from '../../lib/stats/index.js';
import { adjustBH, adjustHolm } from '../../lib/stats/multiple-testing.js';
import { minimumDetectableEffect } from '../../lib/stats/power.js';
import { waldTest } from '../../lib/stats/wald.js';
import type { CanonicalRecord } from '../../lib/survey/record.js';
import type { Nudge } from '../../lib/survey/vocabulary.js';
import { activities, arrow, bytes, record, rows, scoresInput, text } from '../lib/table/records.js';
import { artifact } from '../../contract/step.js';
import index from '../../steps/index.js';
import { studyText } from '../study.js';
import { dataError } from '../data-error.js';
import { expandedRows } from '../row-lineage.js';

const p6 = (x: number) => String(Number(x.toPrecision(6)));

/**
 * Bristol asks no demographics. Two respondents per arm; individual index (share of 4 items): none 0, 50;
 * A 50, 100; B 25, 75; both 0, 100, so the arm effects are 50, 25, 25. A ninth respondent has no arm.
 */
function bristol(): CanonicalRecord[] {
  const design: [Nudge | null, number, 1 | 3][] = [
    ['none', 0, 1], ['none', 2, 3],
    ['A', 2, 1], ['A', 4, 1],
    ['B', 1, 3], ['B', 3, 3],
    ['both', 0, 1], ['both', 4, 3],
    [null, 4, 1],
  ];
  return design.map(([nudge, positive, join], i) =>
    record('Bristol', `b${i}`, { environment: { activities: activities(positive, 4), join_groups: join } }, { nudge }),
  );
}

test('experiment: an area without demographics gets its arm sizes and a balance row saying so, and unadjusted estimates only', async () => {
  const out = await experiment(await scoresInput(bristol()), {});
  assert.is(text(out, 'balance.csv'), [
    'wave,area,themes,variable,n,n_none,n_a,n_b,n_both,mean_none,mean_a,mean_b,mean_both,smd_a,smd_b,smd_both,test,statistic,df1,df2,p,note',
    '2013,Bristol,environment,,8,2,2,2,2,,,,,,,,,,,,,no pre-treatment variable was asked in this area: balance cannot be checked',
  ].join('\n') + '\n');
  const est = rows(text(out, 'experiment.csv'));
  assert.is(text(out, 'experiment.csv').split('\n')[0], EXPERIMENT_HEADER.join(','));
  assert.equal(est.map((r) => r[4]), Array(6).fill('unadjusted'));
  const individual = est.filter((r) => r[3] === 'individual');
  assert.equal(individual.map((r) => [r[6], r[7]]), [['nudge_a', '50.0000'], ['nudge_b', '25.0000'], ['both', '25.0000']]);
  // HC3 in the saturated model: each arm mean's variance is its squared deviations over (n - 1)^2, here 1250
  // for none, A and B and 5000 for both; A against none: sqrt(2500) = 50.
  const a = individual[0]!;
  const tc = tQuantile(0.975, 4);
  assert.equal(a.slice(8, 18), ['50.0000', '1.0000', p6(tTwoSidedP(1, 4)), '', (50 - tc * 50).toFixed(4), (50 + tc * 50).toFixed(4), '8', '2', '2', '25.0000']);
  assert.is(individual[2]![8], Math.sqrt(1250 + 5000).toFixed(4));
  // Collective: A and B answered alike within the arm (no spread), so the three arms cannot be tested jointly.
  assert.equal(est.filter((r) => r[3] === 'collective').map((r) => r.slice(18, 22).join('')), ['', '', '']);
  // Joint test from the 3 x 3 HC3 matrix: every off-diagonal is the reference arm's variance.
  const w = waldTest([50, 25, 25], [[2500, 1250, 1250], [1250, 2500, 1250], [1250, 1250, 6250]], ['a', 'b', 'both'], 4);
  assert.equal(a.slice(18, 22), [w.f!.toFixed(4), '3', '4', p6(w.pF!)]);
  // The family is the wave's six unadjusted contrasts.
  const p = est.map((r) => Number(r[10]));
  assert.equal(est.map((r) => r[22]), Array(6).fill('wave 2013 unadjusted: 6 arm contrasts in 2 models'));
  assert.equal(est.map((r) => r[23]), [...adjustBH(p)].map(p6));
  assert.equal(est.map((r) => r[24]), [...adjustHolm(p)].map(p6));
});

test('experiment: power rows use the unadjusted model\'s residual SD and the arm sizes it used', async () => {
  const out = await experiment(await scoresInput(bristol()), {});
  assert.is(text(out, 'power.csv').split('\n')[0], POWER_HEADER.join(','));
  const power = rows(text(out, 'power.csv'));
  assert.equal(power.map((r) => `${r[3]}/${r[4]}`), ['individual/nudge_a', 'individual/nudge_b', 'individual/both', 'collective/nudge_a', 'collective/nudge_b', 'collective/both']);
  const sigma = Math.sqrt(8750 / 4);
  const se = sigma * Math.sqrt(1 / 2 + 1 / 2);
  assert.equal(power[0], ['2013', 'Bristol', 'environment', 'individual', 'nudge_a', '2', '2', '4', sigma.toFixed(4), se.toFixed(4), minimumDetectableEffect(se, 4).toFixed(4), '50.0000', minimumDetectableEffect(50, 4).toFixed(4), '0.05', '0.8']);
  const looser = rows(text(await experiment(await scoresInput(bristol()), { alpha: 0.1, power: 0.9 }), 'power.csv'));
  assert.is(looser[0]![10], minimumDetectableEffect(se, 4, { alpha: 0.1, power: 0.9 }).toFixed(4));
});

/** Wolverhampton, both themes, 16 respondents with demographics (one age missing); the themes share them. */
function wolverhampton(): CanonicalRecord[] {
  const arms: Nudge[] = ['none', 'A', 'B', 'both'];
  const positives = [0, 3, 1, 4, 2, 2, 4, 1, 3, 0, 1, 4, 2, 3, 0, 4];
  return positives.map((positive, i) => {
    const theme = { activities: activities(positive, 4), join_groups: (i % 3 === 0 ? 1 : 3) as 1 | 3 };
    return record('Wolverhampton', `w${i}`, { environment: theme, 'community safety': { ...theme, activities: activities((positive + i) % 5, 4) } }, {
      nudge: arms[i % 4]!,
      gender: [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1][i]!,
      age_band: i === 5 ? null : 1 + ((i * 7) % 6),
      ethnicity: i % 5 === 0 ? 1 : 0,
    });
  });
}

test('experiment: balance per area with means by arm, standardised differences, F tests and the joint test', async () => {
  const records = wolverhampton();
  const out = await experiment(await scoresInput(records), {});
  const balance = rows(text(out, 'balance.csv').replace(/"[^"]*"/g, (q) => q.replace(/,/g, ';')));
  assert.equal(balance.map((r) => [r[2], r[3]]), [
    ['environment; community safety', 'gender'],
    ['environment; community safety', 'age'],
    ['environment; community safety', 'ethnicity'],
    ['environment; community safety', 'all (joint)'],
  ]);
  const gender = records.map((r) => Number(r.gender));
  const arm = records.map((r) => ['none', 'A', 'B', 'both'].indexOf(r.nudge!));
  const mean = (k: number) => gender.filter((_, i) => arm[i] === k).reduce((s, x) => s + x, 0) / 4;
  assert.equal(balance[0]!.slice(4, 13), ['16', '4', '4', '4', '4', ...[0, 1, 2, 3].map((k) => mean(k).toFixed(4))]);
  assert.equal(balance[1]!.slice(4, 9), ['15', '4', '3', '4', '4'], 'the respondent without an age is left out of its row');
  // The F test of one variable is the regression's own HC3 Wald test of the three arms.
  const fit = ols(Float64Array.from(gender), [0, 1, 2].map((k) => Float64Array.from(arm, (a) => (a === k + 1 ? 1 : 0))), ['a', 'b', 'both']);
  const w = waldTest([1, 2, 3].map((j) => fit.terms[j]!.coef), [1, 2, 3].map((j) => [1, 2, 3].map((k) => fit.robustVcov[j]![k]!)), ['a', 'b', 'both'], fit.df);
  assert.equal(balance[0]!.slice(16, 21), ['HC3 Wald F', w.f!.toFixed(4), '3', '12', p6(w.pF!)]);
  assert.equal(balance[3]!.slice(16, 20), ['HC3 Wald chi-square', balance[3]![17]!, '9', '']);
  assert.is(balance[3]![4], '15');
});

test('experiment: a study of three arms gets balance columns and arm contrasts for its own arms', async () => {
  const doc = JSON.parse(studyText);
  delete doc.experiment.arms.both;
  const study = artifact('raw/study.json', JSON.stringify(doc));
  const records = wolverhampton().filter((r) => r.nudge !== 'both');
  const scores = bytes(await index({ records: [artifact('validate:valid.arrow', arrow(records))], study: [study] }), 'scores.arrow');
  const out = await experiment({ scores: [artifact('index:scores.arrow', scores)] }, {});
  const balance = text(out, 'balance.csv').split('\n');
  assert.is(balance[0], 'wave,area,themes,variable,n,n_none,n_a,n_b,mean_none,mean_a,mean_b,smd_a,smd_b,test,statistic,df1,df2,p,note');
  const gender = rows(text(out, 'balance.csv').replace(/"[^"]*"/g, (q) => q.replace(/,/g, ';')))[0]!;
  assert.equal([gender[3], ...gender.slice(4, 8), gender[13], gender[15]], ['gender', '12', '4', '4', '4', 'HC3 Wald F', '2']);
  assert.equal(gender.length, 19);
  const est = rows(text(out, 'experiment.csv').replace(/"[^"]*"/g, (q) => q.replace(/,/g, ';')));
  assert.equal([...new Set(est.map((r) => r[6]))], ['nudge_a', 'nudge_b']);
  assert.equal([...new Set(rows(text(out, 'power.csv')).map((r) => r[4]))], ['nudge_a', 'nudge_b']);
});

test('experiment: the adjusted specification adds the demographics asked, listwise, in a family of its own', async () => {
  const out = await experiment(await scoresInput(wolverhampton()), {});
  const est = rows(text(out, 'experiment.csv').replace(/"[^"]*"/g, (q) => q.replace(/,/g, ';').replace(/"/g, '')));
  assert.equal([...new Set(est.map((r) => `${r[2]}/${r[3]}/${r[4]}`))], [
    'environment/individual/unadjusted', 'environment/individual/adjusted', 'environment/collective/unadjusted', 'environment/collective/adjusted',
    'community safety/individual/unadjusted', 'community safety/individual/adjusted', 'community safety/collective/unadjusted', 'community safety/collective/adjusted',
  ]);
  const adjusted = est.filter((r) => r[4] === 'adjusted');
  assert.equal([...new Set(adjusted.map((r) => r[5]))], ['gender; age; ethnicity']);
  assert.equal([...new Set(adjusted.map((r) => r[14]))], ['15']);
  assert.equal([...new Set(adjusted.map((r) => r[22]))], ['wave 2013 adjusted: 12 arm contrasts in 4 models']);
  const only = rows(text(await experiment(await scoresInput(wolverhampton()), { adjustFor: ['gender'] }), 'experiment.csv'));
  assert.equal([...new Set(only.filter((r) => r[4] === 'adjusted').map((r) => r[14]))], ['16'], 'gender alone loses no one');
  // Each estimate's row lineage is its model's rows, as many as its n (the adjusted ones lose the missing demographics).
  const lineage = JSON.parse(text(out, 'experiment.csv.lineage.json'));
  assert.equal(lineage.inputs, ['index:scores.arrow']);
  assert.equal(expandedRows(text(out, 'experiment.csv.lineage.json')).map((r) => r[0]![1].length), est.map((r) => Number(r[14])));
  // The arm contrasts of one model (and models of the same complete rows) share one set of rows, written once.
  const distinct = new Set(expandedRows(text(out, 'experiment.csv.lineage.json')).map((r) => JSON.stringify(r)));
  assert.is(lineage.sets.length, distinct.size);
  assert.ok(distinct.size < est.length);
  assert.equal(expandedRows(text(out, 'power.csv.lineage.json')).map((r) => r[0]![1].length), est.filter((r) => r[4] === 'unadjusted').map((r) => Number(r[14])));
});

test('experiment: parameters are checked', async () => {
  const input = await scoresInput(bristol());
  const refused = async (params: Parameters<typeof experiment>[1]) => {
    try {
      await experiment(input, params);
    } catch (e) {
      return dataError(() => { throw e; });
    }
    throw new Error('expected a DataError');
  };
  assert.match((await refused({ adjustFor: ['conditions' as 'age'] })).message, /not pre-treatment/);
  assert.match((await refused({ alpha: 1 })).message, /alpha must lie strictly between 0 and 1/);
});

test.run();
