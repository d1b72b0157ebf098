import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tMeanInterval, wilsonInterval } from '../../../lib/stats/intervals.js';
import { assertAbsolute, dataset, reference } from './r-reference.js';

for (const c of reference.wilson) {
  test(`Wilson interval of ${c.x} in ${c.n} is prop.test(correct = FALSE)'s`, () => {
    const got = wilsonInterval(c.x, c.n)!;
    assertAbsolute(got.lower, c.lower, 1e-12, 'lower');
    assertAbsolute(got.upper, c.upper, 1e-12, 'upper');
  });
}

const experiment = dataset('experiment');
for (const c of reference.t_interval) {
  test(`t interval of the mean of ${c.variable} is t.test's`, () => {
    const got = tMeanInterval(experiment[c.variable]!)!;
    assert.is(got.n, c.n);
    assertAbsolute(got.mean, c.mean, 1e-12, 'mean');
    assertAbsolute(got.lower, c.lower, 1e-10, 'lower');
    assertAbsolute(got.upper, c.upper, 1e-10, 'upper');
  });
}

test('the fixtures reach both ends of the Wilson interval', () => {
  assert.ok(reference.wilson.some((c) => c.x === 0) && reference.wilson.some((c) => c.x === c.n));
  assert.equal(wilsonInterval(0, 12)!.lower, 0);
  assert.equal(wilsonInterval(12, 12)!.upper, 1);
});

test('no respondents, one value, or a constant column', () => {
  assert.is(wilsonInterval(0, 0), null);
  assert.throws(() => wilsonInterval(3, 2), /0 <= x <= n/);
  assert.is(tMeanInterval([5, NaN]), null);
  assert.equal(tMeanInterval([4, 4, NaN]), { mean: 4, n: 2, lower: 4, upper: 4 });
});

test.run();
