import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { placement, type Placed } from '../../runner/executor.js';

const test = suite('executor placement');
const w = (busy: boolean, ...loaded: string[]): Placed => ({ busy, loaded: new Set(loaded) });

test('a job goes to an idle worker that has imported its step', () => {
  assert.is(placement([w(false, 'a'), w(false, 'b')], 'b', true, 2), 1);
  assert.is(placement([w(false, 'a'), w(false, 'b')], 'b', false, 2), 1);
});

test('a light job waits for the busy worker that has its step rather than importing it in another', () => {
  assert.is(placement([w(true, 'clean'), w(false, 'validate')], 'clean', true, 2), 'wait');
  assert.is(placement([w(true, 'clean')], 'clean', true, 2), 'wait');
});

test('a heavy job takes a free worker, or starts one, even when another has its step', () => {
  assert.is(placement([w(true, 'clean'), w(false, 'validate')], 'clean', false, 2), 1);
  assert.is(placement([w(true, 'clean')], 'clean', false, 2), 'spawn');
  assert.is(placement([w(true, 'clean'), w(true, 'validate')], 'clean', false, 2), 'wait');
});

test('a step no worker has imported goes to the idle worker that has imported least, else a new one', () => {
  assert.is(placement([w(false, 'a', 'b'), w(false, 'c')], 'index', true, 2), 1);
  assert.is(placement([w(true, 'a')], 'index', true, 2), 'spawn');
  assert.is(placement([], 'index', true, 2), 'spawn');
  assert.is(placement([w(true, 'a'), w(true, 'b')], 'index', true, 2), 'wait');
});

test.run();
