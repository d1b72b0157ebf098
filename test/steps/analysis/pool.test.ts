import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runPool } from '../../../steps/analysis/pool.js';
import { fitModelTask, type FitModelInput } from '../../../steps/analysis/tasks.js';
import type { OlsFit } from '../../../steps/stats/index.js';

/** Three small regressions, y = a + b·x with a little noise, each with its own columns. */
const inputs: FitModelInput[] = [1, 2, 3].map((b) => {
  const x = Float64Array.from({ length: 40 }, (_, i) => i % 7);
  const y = Float64Array.from(x, (v, i) => 0.5 + b * v + ((i * 37) % 11) / 100);
  return { y, outcome: `y${b}`, columns: [x], names: ['x'] };
});

test('the pool answers in task order as the tasks run here would, and leaves every posted column usable', async () => {
  const pooled = await runPool<OlsFit>('fitModel', inputs.length, (i) => inputs[i], 2);
  assert.equal(pooled, inputs.map(fitModelTask));
  // Posting copies: a column moved to a worker would be detached here (0 bytes), and detaching any
  // buffer slows this thread's typed arrays for good (threads/worker-thread.ts).
  assert.equal(
    inputs.map((t) => [t.y.byteLength, t.columns[0]!.byteLength]),
    inputs.map(() => [320, 320]),
  );
});

test.run();
