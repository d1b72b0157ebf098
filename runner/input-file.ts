/**
 * An input file as a step sees it: read only when the step asks, and checked against the hash the
 * step's cache key was built from before its bytes are handed over.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { lazyArtifact, type Artifact } from '../contract/step.js';

export function fileArtifact(name: string, path: string, expected = '', mismatch: () => Error = () => new Error(`${name} changed while it was read`)): Artifact {
  return lazyArtifact(name, expected, () => {
    const content = readFileSync(path);
    if (expected && createHash('sha256').update(content).digest('hex') !== expected) throw mismatch();
    return content;
  });
}
