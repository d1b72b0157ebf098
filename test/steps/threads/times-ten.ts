// A worker module for the tests: answers each task i with i * 10, after busy work that grows as i shrinks
// (so the worker's answers tend to come back out of order).
import { serveWorker } from '../../../steps/threads/worker-thread.js';

serveWorker<number, number>('test-times-ten', () => (i) => {
  const until = performance.now() + Math.max(0, 8 - i);
  while (performance.now() < until);
  return i * 10;
});
