import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../contract/step.js';
import correlate from '../../steps/correlate.js';
import { adjustBH, corTest } from '../../lib/stats/index.js';
import { activities, bytes, record, rows, scoresInput, text } from '../lib/table/records.js';
import type { CanonicalRecord } from '../../lib/survey/record.js';
import { expandedRows } from '../row-lineage.js';

// Swansea environment: individual index (share of 4 items) against conditions. Pairs kept:
// (1, 0) (2, 50) (3, 50) (4, 100); by hand r = 150 / sqrt(5 * 5000) = 0.948683.
// The don't-know and blank conditions drop their pair only; the blank index drops its pair only.
const swansea: CanonicalRecord[] = [
  record('Swansea', 's1', { environment: { activities: activities(0, 4), join_groups: 3, conditions: 1 } }),
  record('Swansea', 's2', { environment: { activities: activities(2, 4), join_groups: 1, conditions: 2 } }),
  record('Swansea', 's3', { environment: { activities: activities(2, 4), join_groups: 3, conditions: 3 } }),
  record('Swansea', 's4', { environment: { activities: activities(4, 4), join_groups: 1, conditions: 4 } }),
  record('Swansea', 's5', { environment: { activities: activities(4, 4), join_groups: 1, conditions: 'dont_know' } }),
  record('Swansea', 's6', { environment: { activities: activities(1, 4), join_groups: 'dont_know', conditions: null } }),
  record('Swansea', 's7', { environment: { activities: { a: 'dont_know' }, join_groups: 3, conditions: 5 } }),
];

const HEADER = 'wave,area,theme,predictor,item,r,n,p,stars,ci_low,ci_high,p_bh,method';

test('correlate: Pearson r over pairwise-complete answers, with its n, p, stars and Fisher-z interval', async () => {
  const out = await correlate(await scoresInput(swansea), {});
  const [row, ...rest] = rows(text(out, 'table3.csv'));
  assert.is(rest.length, 0);
  const ref = corTest([0, 50, 50, 100], [1, 2, 3, 4]);
  assert.is(ref.r.toFixed(6), '0.948683');
  assert.equal(row, [
    '2013', 'Swansea', 'environment', 'conditions', '', '0.948683', '4', String(Number(ref.p.toPrecision(6))), '', ref.ci!.lower.toFixed(6), ref.ci!.upper.toFixed(6),
    // one test in the wave: adjusting changes nothing
    String(Number(ref.p.toPrecision(6))),
    'pearson',
  ]);
  // Table 4 pairs the collective indicator instead: s5 (don't know conditions) and s6 drop, s7 (never, 5) stays
  const [c] = rows(text(out, 'table4.csv'));
  const ref4 = corTest([0, 100, 0, 100, 0], [1, 2, 3, 4, 5]);
  assert.equal([c![3], c![5], c![6]], ['conditions', ref4.r.toFixed(6), '5']);
});

test('correlate: exact header lines of both tables', async () => {
  const out = await correlate(await scoresInput(swansea), {});
  assert.is(text(out, 'table3.csv').split('\n')[0], HEADER);
  assert.is(text(out, 'table4.csv').split('\n')[0], HEADER);
});

test('correlate: table3-r.csv and table4-r.csv carry the same cells with r unrounded, for the steps that compute with it', async () => {
  const out = await correlate(await scoresInput(swansea), {});
  assert.is(text(out, 'table3-r.csv'), `wave,area,theme,predictor,item,r,n\n2013,Swansea,environment,conditions,,${corTest([0, 50, 50, 100], [1, 2, 3, 4]).r},4\n`);
  assert.is(text(out, 'table4-r.csv'), `wave,area,theme,predictor,item,r,n\n2013,Swansea,environment,conditions,,${corTest([0, 100, 0, 100, 0], [1, 2, 3, 4, 5]).r},5\n`);
});

/** Wolverhampton community safety with a strong and a weak predictor, demographics and a second wave. */
function wolverhampton(): CanonicalRecord[] {
  const out: CanonicalRecord[] = [];
  const share = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 3, 2, 1, 0, 4];
  share.forEach((s, i) => {
    const themes = {
      'community safety': {
        activities: activities(s, 4),
        join_groups: (i % 3 === 0 ? 1 : 3) as 1 | 3,
        self_efficacy: Math.min(4, 1 + Math.floor(s * 0.9 + (i % 2))),
        satisfaction_response: ((i * 7) % 5) + 1,
      },
    };
    out.push(record('Wolverhampton', `w${i}`, themes, { gender: i % 2, age_band: 1 + (i % 6), ethnicity: i % 4 === 0 ? 1 : 0 }));
    if (i < 8) out.push(record('Wolverhampton', `w${i}`, themes, { wave: 2014, gender: i % 2, age_band: 1 + (i % 6), ethnicity: i % 3 === 0 ? 1 : 0 }));
  });
  return out;
}

test('correlate: predictor rows in table order; stars from p; p_bh is Benjamini-Hochberg within each wave', async () => {
  const out = rows(text(await correlate(await scoresInput(wolverhampton()), {}), 'table3.csv'));
  assert.equal(out.map((r) => `${r[0]} ${r[3]}`), [
    '2013 satisfaction_response', '2013 self_efficacy', '2013 gender', '2013 age', '2013 ethnicity',
    '2014 satisfaction_response', '2014 self_efficacy', '2014 gender', '2014 age', '2014 ethnicity',
  ]);
  for (const wave of ['2013', '2014']) {
    const w = out.filter((r) => r[0] === wave);
    const p = w.map((r) => Number(r[7]));
    const bh = adjustBH(p);
    w.forEach((r, k) => {
      assert.ok(Math.abs(Number(r[11]) - bh[k]!) <= 1e-5 * bh[k]!, `p_bh ${r[11]} vs ${bh[k]}`);
      assert.is(r[8], p[k]! < 0.01 ? '**' : p[k]! < 0.05 ? '*' : '');
    });
  }
  // the strong predictor is starred at 2013's n = 16
  const efficacy = out.find((r) => r[0] === '2013' && r[3] === 'self_efficacy')!;
  assert.is(efficacy[8], '**');
  assert.ok(Number(efficacy[11]) > Number(efficacy[7]), 'adjusted p exceeds raw p among 5 tests');
});

test('correlate: method spearman reports rho of the ranks', async () => {
  // index 0, 12.5, 25, 50, 100 against conditions 1..5: monotone but not linear, so rho = 1 and r < 1
  const rs = [0, 1, 2, 4, 8].map((k, i) => record('Swansea', `s${i}`, { environment: { activities: activities(k, 8), conditions: i + 1 } }));
  const pearsonRow = rows(text(await correlate(await scoresInput(rs), { method: 'pearson' }), 'table3.csv'))[0]!;
  const spearmanRow = rows(text(await correlate(await scoresInput(rs), { method: 'spearman' }), 'table3.csv'))[0]!;
  assert.is(spearmanRow[5], '1.000000');
  assert.is(pearsonRow[5], corTest([0, 12.5, 25, 50, 100], [1, 2, 3, 4, 5]).r.toFixed(6));
  assert.ok(Number(pearsonRow[5]) < 0.99);
  const input = await scoresInput(rs);
  assert.instance(await correlate(input, { method: 'kendall' as never }).catch((e: unknown) => e), DataError);
});

test('correlate: a predictor constant over the pairs stops with a DataError naming the cell', async () => {
  const rs = [1, 2, 3, 4].map((k) => record('Bristol', `b${k}`, { environment: { activities: activities(k % 3, 2), conditions: 3 } }));
  try {
    await correlate(await scoresInput(rs), {});
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DataError);
    assert.match((e as Error).message, 'wave 2013, Bristol, environment');
    assert.match((e as Error).message, 'conditions');
    assert.is((e as DataError).where.column, 'conditions');
  }
});

test('correlate: same scores give byte-identical tables', async () => {
  const input = await scoresInput(wolverhampton());
  const a = await correlate(input, {});
  const b = await correlate(input, {});
  assert.equal(bytes(a, 'table3.csv'), bytes(b, 'table3.csv'));
  assert.equal(bytes(a, 'table4.csv'), bytes(b, 'table4.csv'));
});

test('correlate: each row\'s lineage lists the scores rows of its complete pairs, as many as its n', async () => {
  const out = await correlate(await scoresInput(swansea), {});
  const lineage = JSON.parse(text(out, 'table3.csv.lineage.json'));
  // s5 (don't know conditions), s6 (blank conditions) and s7 (no index) drop: rows 1-4 of the group stay, one run.
  assert.equal(lineage, { version: 2, inputs: ['index:scores.arrow'], units: ['row'], sets: [[[0, [[1, 4]]]]], rows: [[1, 0]] });
  // Table 4 keeps s7 (collective "never", conditions 5) instead of nothing: five pairs, as its n says.
  const four = JSON.parse(text(out, 'table4.csv.lineage.json'));
  assert.equal(four.sets, [[[0, [[1, 4], [7, 7]]]]]);
  assert.equal(expandedRows(text(out, 'table4.csv.lineage.json')), [[[0, [1, 2, 3, 4, 7]]]]);
  assert.is(rows(text(out, 'table4.csv'))[0]![6], '5');
});

test.run();
