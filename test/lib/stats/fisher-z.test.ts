import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fisherZDifference } from '../../../lib/stats/fisher-z.js';

test('Fisher z difference by hand: r .3 then .5 at n 103 each', () => {
  // atanh .5 - atanh .3 = 0.5493061443 - 0.3095196042 = 0.2397865401; se = sqrt(1/100 + 1/100) = 0.1414213562
  const d = fisherZDifference(0.3, 103, 0.5, 103)!;
  assert.ok(Math.abs(d.z - 1.6955468856) < 1e-9, String(d.z));
  assert.ok(Math.abs(d.p - 0.0899717239) < 1e-9, String(d.p));
});

test('the sign follows the later wave and unequal n weigh in: r .4 (n 50) then -.1 (n 80)', () => {
  const d = fisherZDifference(0.4, 50, -0.1, 80)!;
  assert.ok(Math.abs(d.z - -2.8307512333) < 1e-9, String(d.z));
  assert.ok(Math.abs(d.p - 0.0046438825) < 1e-9, String(d.p));
});

test('not defined at n of 3 or less, or |r| = 1', () => {
  assert.is(fisherZDifference(0.3, 3, 0.5, 100), null);
  assert.is(fisherZDifference(1, 30, 0.5, 100), null);
  assert.is(fisherZDifference(0.2, 30, 0.2, 100)!.z, 0);
});

test.run();
