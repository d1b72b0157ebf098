import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../contract/step.js';
import nudgeRegress from '../../steps/nudge-regress.js';
import { ols, tQuantile, tTwoSidedP } from '../../lib/stats/index.js';
import type { CanonicalRecord } from '../../lib/survey/record.js';
import type { Nudge } from '../../lib/survey/vocabulary.js';
import { activities, bytes, record, rows, scoresInput, text } from '../lib/table/records.js';
import { expandedRows } from '../row-lineage.js';

const HEADER = 'wave,area,theme,item,outcome,term,coef,se,t,p,stars,ci_low,ci_high,se_hc3,p_hc3,n';

/**
 * Two respondents per nudge group. Individual index (share of 4 items): none 0, 50; A 50, 100; B 25, 75;
 * both 0, 100. Group means 25, 75, 50, 50, so the coefficients are 50, 25, 25; RSS 8750 on 4 df.
 */
function bristol(): CanonicalRecord[] {
  const design: [Nudge, number, 1 | 3][] = [
    ['none', 0, 1], ['none', 2, 3],
    ['A', 2, 1], ['A', 4, 1],
    ['B', 1, 3], ['B', 3, 3],
    ['both', 0, 1], ['both', 4, 3],
  ];
  return design.map(([nudge, positive, join], i) =>
    record('Bristol', `b${i}`, { environment: { activities: activities(positive, 4), join_groups: join, conditions: 1 + (i % 5) } }, { nudge }),
  );
}

test('nudge-regress: with no controls the nudge coefficients are the group mean differences, with hand-checked SEs', async () => {
  const out = rows(text(await nudgeRegress(await scoresInput(bristol()), { controls: [] }), 'table5.csv'));
  const individual = out.filter((r) => r[4] === 'individual');
  assert.equal(individual.map((r) => [r[5], r[6]]), [['nudge_a', '50.0000'], ['nudge_b', '25.0000'], ['both', '25.0000']]);
  const se = Math.sqrt((8750 / 4) * (1 / 2 + 1 / 2));
  const tc = tQuantile(0.975, 4);
  const a = individual[0]!;
  assert.equal(a.slice(7), [
    se.toFixed(4), (50 / se).toFixed(4), String(Number(tTwoSidedP(50 / se, 4).toPrecision(6))), '',
    (50 - tc * se).toFixed(4), (50 + tc * se).toFixed(4),
    // HC3 with leverage 1/2 everywhere: var = sum of squared residuals of the two groups compared
    '50.0000', String(Number(tTwoSidedP(50 / 50, 4).toPrecision(6))), '8',
  ]);
  assert.is(individual[2]![13], Math.sqrt(5000 + 1250).toFixed(4));
  // collective: none 100, 0; A 100, 100; B 0, 0; both 100, 0 → 50, -50, 0
  assert.equal(out.filter((r) => r[4] === 'collective').map((r) => r[6]), ['50.0000', '-50.0000', '0.0000']);
  assert.equal(out.map((r) => r.slice(0, 4).join('|')), Array(6).fill('2013|Bristol|environment|'));
});

test('nudge-regress: exact header and no rows for groups without a nudge experiment', async () => {
  const swansea = record('Swansea', 's1', { environment: { activities: activities(1, 2), join_groups: 1 } });
  const csv = text(await nudgeRegress(await scoresInput([...bristol(), swansea]), { controls: [] }), 'table5.csv');
  assert.is(csv.split('\n')[0], HEADER);
  assert.not.ok(csv.includes('Swansea'));
});

/** Barnet community safety: conditions once, self-efficacy per crime and ASB, gender; one don't know. */
function barnet(): CanonicalRecord[] {
  const nudges: Nudge[] = ['none', 'A', 'B', 'both'];
  const positives = [0, 3, 1, 4, 2, 2, 4, 1, 3, 0, 1, 4, 2, 3, 0, 4, 2, 1, 3, 2];
  const conditions = [3, 1, 4, 1, 5, 2, 2, 3, 5, 4, 1, 2, 4, 3, 5, 1, 3, 2, 4, 5];
  const crime = [2, 4, 1, 3, 3, 'dont_know', 1, 4, 2, 2, 3, 1, 4, 4, 1, 2, 3, 3, 1, 4] as const;
  const asb = [1, 1, 3, 4, 2, 3, 4, 2, 1, 4, 2, 3, 3, 1, 4, 2, 2, 4, 1, 3] as const;
  const gender = [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0] as const;
  return Array.from({ length: 20 }, (_, i) =>
    record('Barnet', `b${i}`, {
      'community safety': {
        activities: activities(positives[i]!, 4),
        join_groups: (positives[(i + 3) % 20]! >= 2 ? 1 : 3) as 1 | 3,
        current_time: 2,
        conditions: conditions[i]!,
        self_efficacy: { crime: crime[i]!, 'anti-social behaviour': asb[i]! },
      },
    }, { nudge: nudges[i % 4]!, gender: gender[i]! }),
  );
}

test('nudge-regress: Barnet community safety is fitted once with the crime items and once with the ASB items, listwise', async () => {
  const records = barnet();
  const out = rows(text(await nudgeRegress(await scoresInput(records), {}), 'table5.csv'));
  assert.equal([...new Set(out.map((r) => `${r[3]}/${r[4]}`))], ['crime/individual', 'crime/collective', 'anti-social behaviour/individual', 'anti-social behaviour/collective']);

  const t = records.map((r) => r.themes['community safety']!);
  const num = (v: unknown) => (typeof v === 'number' ? v : NaN);
  const dummy = (k: Nudge) => records.map((r) => (r.nudge === k ? 1 : 0));
  const y = t.map((x) => (100 * Object.values(x.activities!).filter((c) => c === 1).length) / 4);
  const conditions = t.map((x) => num(x.conditions));
  const gender = records.map((r) => num(r.gender));
  for (const item of ['crime', 'anti-social behaviour'] as const) {
    const efficacy = t.map((x) => num((x.self_efficacy as Record<string, unknown>)[item]));
    const fit = ols(y, [dummy('A'), dummy('B'), dummy('both'), conditions, efficacy, gender], ['nudge_a', 'nudge_b', 'both', 'conditions', `self_efficacy/${item}`, 'gender']);
    const got = out.filter((r) => r[3] === item && r[4] === 'individual');
    assert.equal(got.map((r) => [r[6], r[7], r[13], r[15]]), fit.terms.slice(1, 4).map((x) => [x.coef.toFixed(4), x.se.toFixed(4), x.robustSe.toFixed(4), String(fit.n)]));
    // the crime model loses the respondent who answered don't know to the crime item
    assert.is(fit.n, item === 'crime' ? 19 : 20);
  }
  // Each row's lineage is its model's complete rows: as many as its n, without the crime don't-know in the crime models.
  const json = text(await nudgeRegress(await scoresInput(records), {}), 'table5.csv.lineage.json');
  assert.equal(JSON.parse(json).inputs, ['index:scores.arrow']);
  assert.equal(expandedRows(json).map((r) => r[0]![1].length), out.map((r) => Number(r[15])));
});

test('nudge-regress: a nudge group with no respondents is a DataError naming the term, area, theme and wave', async () => {
  const records = bristol().filter((r) => r.nudge !== 'both');
  try {
    await nudgeRegress(await scoresInput(records), { controls: [] });
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DataError);
    assert.match((e as Error).message, 'wave 2013, Bristol, environment');
    assert.match((e as Error).message, '"both"');
    assert.is((e as DataError).where.column, 'both');
  }
});

test('nudge-regress: a constant control is a DataError naming it', async () => {
  const records = bristol().map((r) => ({ ...r, gender: 1 }));
  try {
    await nudgeRegress(await scoresInput(records), {});
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DataError);
    assert.is((e as DataError).where.column, 'gender');
  }
  const input = await scoresInput(bristol());
  assert.instance(await nudgeRegress(input, { controls: ['income' as never] }).catch((e: unknown) => e), DataError);
});

test('nudge-regress: same scores give byte-identical tables', async () => {
  const input = await scoresInput(barnet());
  assert.equal(bytes(await nudgeRegress(input, {}), 'table5.csv'), bytes(await nudgeRegress(input, {}), 'table5.csv'));
});

test.run();
