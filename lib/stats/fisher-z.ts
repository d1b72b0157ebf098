/**
 * Whether a correlation changed between two waves: the difference of Fisher-z transformed r, tested as
 * if the two samples were independent (Cohen et al. 2003, eq. 2.8.11). Panel members answer in both
 * waves, so the samples overlap and the test is conservative; the report says so.
 */
import { normalCdf } from './index.js';

export interface CorrelationDifference {
  z: number;
  /** Two-sided, from the standard normal. */
  p: number;
}

/**
 * z = (atanh r2 - atanh r1) / sqrt(1/(n1 - 3) + 1/(n2 - 3)); null when either n is 3 or less or
 * either |r| is 1 (its z is infinite): the difference is then not defined.
 */
export function fisherZDifference(r1: number, n1: number, r2: number, n2: number): CorrelationDifference | null {
  if (!(n1 > 3 && n2 > 3) || !(Math.abs(r1) < 1 && Math.abs(r2) < 1)) return null;
  const z = (Math.atanh(r2) - Math.atanh(r1)) / Math.sqrt(1 / (n1 - 3) + 1 / (n2 - 3));
  // The mirrored lower tail, not 1 - cdf: the subtraction would round small p to 0.
  return { z, p: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}
