import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { adjustBH, adjustHolm, familyCounts } from '../../../lib/stats/multiple-testing.js';
import { orNaN, reference } from './r-reference.js';

for (const { name, p, adjusted } of reference.bh) {
  test(`BH adjustment of "${name}" is R's p.adjust(method = "BH") to 1e-12, NA kept in place`, () => {
    const got = adjustBH(orNaN(p));
    const want = orNaN(adjusted);
    assert.is(got.length, want.length);
    want.forEach((w, i) => {
      if (Number.isNaN(w)) assert.ok(Number.isNaN(got[i]), `index ${i}: R keeps NA, got ${got[i]}`);
      else assert.ok(Math.abs(got[i]! - w) <= 1e-12, `index ${i}: got ${got[i]}, R gives ${w}`);
    });
  });
}

for (const { name, p, adjusted } of reference.holm) {
  test(`Holm adjustment of "${name}" is R's p.adjust(method = "holm") to 1e-12, NA kept in place`, () => {
    const got = adjustHolm(orNaN(p));
    const want = orNaN(adjusted);
    assert.is(got.length, want.length);
    want.forEach((w, i) => {
      if (Number.isNaN(w)) assert.ok(Number.isNaN(got[i]), `index ${i}: R keeps NA, got ${got[i]}`);
      else assert.ok(Math.abs(got[i]! - w) <= 1e-12, `index ${i}: got ${got[i]}, R gives ${w}`);
    });
  });
}

test('Holm is never below BH on the same p-values', () => {
  const p = orNaN(reference.holm.find((h) => h.name === 'random')!.p);
  const holm = adjustHolm(p);
  adjustBH(p).forEach((bh, i) => assert.ok(holm[i]! >= bh - 1e-15, `index ${i}`));
  assert.throws(() => adjustHolm([0.1, -0.2]), /index 1 must lie in \[0, 1\], got -0.2/);
});

test('the fixture holds ties and missing values', () => {
  const p = orNaN(reference.bh.find((b) => b.name === 'ties_and_missing')!.p);
  assert.ok(p.some(Number.isNaN));
  assert.ok(p.filter((v) => v === 0.04).length === 3);
});

test('missing p-values do not count as tests', () => {
  assert.equal([...adjustBH([NaN, 0.02, 0.04])].slice(1), [0.04, 0.04]);
});

test('the input is left untouched and an empty list gives an empty result', () => {
  const p = [0.03, 0.01];
  adjustBH(p);
  assert.equal(p, [0.03, 0.01]);
  assert.is(adjustBH([]).length, 0);
});

test('a p-value outside [0, 1] is refused with its index', () => {
  assert.throws(() => adjustBH([0.1, 1.2]), /index 1 must lie in \[0, 1\], got 1.2/);
});

test('a family\'s counts: significant, expected by chance (alpha × tests), and what survives BH; NaN is no test', () => {
  // BH of (0.01, 0.02, 0.03, 0.5, NaN) over 4 tests: 0.04, 0.04, 0.04, 0.5.
  assert.equal(familyCounts([0.01, 0.02, 0.03, 0.5, NaN], 0.05), { tests: 4, significant: 3, expectedByChance: 0.2, afterBH: 3 });
  assert.equal(familyCounts([0.01, 0.04, 0.3], 0.05), { tests: 3, significant: 2, expectedByChance: 0.05 * 3, afterBH: 1 });
  assert.equal(familyCounts([], 0.05), { tests: 0, significant: 0, expectedByChance: 0, afterBH: 0 });
});

test.run();
