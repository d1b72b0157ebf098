import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { artifact } from '../../../contract/step.js';
import { correlationP } from '../../../lib/stats/correlation.js';
import { checkStars, consistentRange, starsHold } from '../../../lib/stats/published-stars.js';
import { readPublished } from '../../../lib/report/published.js';

const published = readPublished(artifact('raw/published-tables.json', readFileSync(new URL('../../../raw/published-tables.json', import.meta.url), 'utf8')));

test('p of r at the critical values the transcription lists is the level they stand for', () => {
  for (const c of published.significance.critical_r) {
    assert.ok(Math.abs(correlationP(c.p05, c.n) - 0.05) < 2e-4, `${c.area} p05`);
    assert.ok(Math.abs(correlationP(c.p01, c.n) - 0.01) < 1e-4, `${c.area} p01`);
  }
  assert.is(correlationP(0, 500), 1);
  assert.is(correlationP(1, 500), 0);
});

test('stars hold when they name the highest level reached; ** also covers p < .001', () => {
  assert.ok(starsHold('', 0.2));
  assert.ok(starsHold('*', 0.02));
  assert.not.ok(starsHold('*', 0.005));
  assert.ok(starsHold('**', 0.0001));
  assert.not.ok(starsHold('***', 0.005));
});

test('the range of n over which stars hold: an understarred 0.220* needs n of at most 136', () => {
  assert.equal(consistentRange(0.22, '*'), { low: 80, high: 136 });
  assert.is(consistentRange(0.22, '**')!.high, Infinity);
  assert.is(consistentRange(0, '*'), undefined, 'no n makes r = 0 significant');
});

test('verdicts: consistent, borderline (holds at some n from N/2 to N), inconsistent', () => {
  assert.is(checkStars(0.22, '**', 953).verdict, 'consistent');
  assert.is(checkStars(0.072, '', 953).verdict, 'borderline');
  assert.is(checkStars(0.22, '*', 953).verdict, 'inconsistent');
  assert.is(checkStars(-0.016, '*', 496).verdict, 'inconsistent');
});

test('the stars p earns at n come with every check', () => {
  assert.equal(checkStars(0.22, '*', 953).starsAtN, '**');
  assert.equal(checkStars(0.072, '', 953).starsAtN, '*');
  assert.equal(checkStars(0.01, '', 100).starsAtN, '');
});

test.run();
