// A worker module for the tests: answers each task (bytes) with its first byte, a buffer of its own, and
// the size its previous answer's buffer has now (0 if answering had detached it).
import { serveWorker } from '../../../steps/threads/worker-thread.js';

export interface Echo {
  first: number;
  earlierOutputBytes: number | null;
  bytes: Uint8Array;
}

let earlier: Uint8Array | undefined;

serveWorker<Uint8Array, Echo>('test-echo-bytes', () => (input) => {
  const answer: Echo = { first: input[0]!, earlierOutputBytes: earlier ? earlier.byteLength : null, bytes: new Uint8Array(64) };
  earlier = answer.bytes;
  return answer;
});
