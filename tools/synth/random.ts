/**
 * Seeded random streams. Each purpose (persons, answers, mess…) of each area and wave has its own stream,
 * derived from the one seed, so changing how one file is messed up leaves every other draw unchanged.
 */
import mt19937 from '@stdlib/random-base-mt19937';
import normal from '@stdlib/random-base-normal';

export interface Stream {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

/** FNV-1a: a stable 32-bit hash of a stream's name. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function stream(seed: number, name: string): Stream {
  // mt19937 seeds are 1..2^32-1; a zero would be rejected.
  const s = ((seed >>> 0) ^ hash(name)) >>> 0 || 1;
  // `normalized` (uniform on [0, 1) with 53-bit resolution) exists at run time but is missing from the typings.
  const prng = mt19937.factory({ seed: s }) as unknown as { normalized: () => number };
  const uniform = prng.normalized;
  const gauss = normal.factory(0, 1, { prng: uniform });
  return { uniform: () => uniform(), normal: () => gauss() };
}
