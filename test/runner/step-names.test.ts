import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { splitStepList } from '../../runner/step-names.js';

test('a list of steps splits on commas, but not inside a branch of several wildcards', () => {
  assert.equal(splitStepList('clean,validate'), ['clean', 'validate']);
  assert.equal(splitStepList('clean[2013,derbyshire-dales],index[2013]'), ['clean[2013,derbyshire-dales]', 'index[2013]']);
  assert.equal(splitStepList('clean[2013,barnet]'), ['clean[2013,barnet]']);
  assert.equal(splitStepList('a,,b,'), ['a', 'b']);
});

test.run();
