import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pairedT, welchT } from '../../../lib/stats/t-tests.js';

// R's `sleep` data: extra hours of sleep of ten patients under two drugs.
const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
const near = (actual: number | null, expected: number, digits: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 0.5 * 10 ** -digits, `${what}: ${actual} vs ${expected}`);

test('paired t agrees with R: t.test(drug1, drug2, paired = TRUE) gives t -4.0621, p 0.002833, CI -2.4598858 to -0.7001142', () => {
  // change = to - from, so from = drug2, to = drug1 gives R's drug1 - drug2
  const t = pairedT(drug2, drug1);
  assert.is(t.n, 10);
  near(t.meanChange, -1.58, 10, 'mean change');
  near(t.t, -4.0621, 4, 't');
  assert.is(t.df, 9);
  near(t.p, 0.002833, 6, 'p');
  near(t.ciLow, -2.4598858, 7, 'ci low');
  near(t.ciHigh, -0.7001142, 7, 'ci high');
  near(t.meanFrom, 2.33, 10, 'mean from');
  near(t.meanTo, 0.75, 10, 'mean to');
});

test('Welch t agrees with R: t.test(drug1, drug2) gives t -1.8608, df 17.776, p 0.07939', () => {
  const t = welchT(drug2, drug1);
  near(t.difference, 0.75 - 2.33, 10, 'difference');
  near(t.t, -1.8608, 4, 't');
  near(t.df, 17.776, 3, 'df');
  near(t.p, 0.07939, 5, 'p');
  assert.equal([t.nA, t.nB], [10, 10]);
});

test('undefined tests give nulls, not NaN or infinities: one pair, no spread, an empty group', () => {
  assert.equal(pairedT([1], [3]), { n: 1, meanFrom: 1, meanTo: 3, meanChange: 2, t: null, df: null, p: null, ciLow: null, ciHigh: null });
  const flat = pairedT([1, 2, 3], [2, 3, 4]);
  assert.is(flat.meanChange, 1);
  assert.is(flat.t, null);
  assert.is(pairedT([], []).meanFrom, null);
  assert.equal(welchT([1, 2], []), { nA: 2, nB: 0, meanA: 1.5, meanB: null, difference: null, t: null, df: null, p: null });
  assert.is(welchT([5, 5], [7, 7]).t, null);
  assert.is(welchT([5, 5], [7, 7]).difference, 2);
  assert.throws(() => pairedT([1, 2], [1]), /pairs/);
});

test.run();
