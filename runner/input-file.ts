/**
 * An input file as a step sees it: read only when the step asks, whole or in pieces, and checked as
 * it is read against the hash the step's cache key was built from — a whole read before its bytes
 * are handed over, a piecewise read once its last piece has been read.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { lazyArtifact, type Artifact } from './step.js';

export function fileArtifact(name: string, path: string, expected = '', mismatch: () => Error = () => new Error(`${name} changed while it was read`)): Artifact {
  const check = (hash: string) => {
    if (expected && hash !== expected) throw mismatch();
  };
  /** The whole content, once its hash is checked. */
  const checked = (content: Uint8Array) => {
    if (expected) check(createHash('sha256').update(content).digest('hex'));
    return content;
  };
  return lazyArtifact(name, expected, {
    load: () => checked(readFileSync(path)),
    *chunks(size) {
      const hash = createHash('sha256');
      const fd = openSync(path, 'r');
      // One buffer for every piece: fresh memory for each would cost more in page faults than the
      // reading itself (0.5 s against 0.08 s for 711 MB here). Hence the contract in step.ts.
      const piece = Buffer.allocUnsafe(size);
      try {
        for (;;) {
          const read = readSync(fd, piece, 0, size, null);
          if (read === 0) break;
          const chunk = piece.subarray(0, read);
          if (expected) hash.update(chunk);
          yield chunk;
        }
      } finally {
        closeSync(fd);
      }
      if (expected) check(hash.digest('hex'));
    },
  });
}
