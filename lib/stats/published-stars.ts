/**
 * Whether the stars a table prints beside a correlation can be true, in the spirit of statcheck: the
 * p of the printed r at the respondents behind it (a t test, correlationP), the stars that p earns, and
 * the range of n over which the printed stars would hold. The stars' levels are the paper's notes (**
 * p < .01, * p < .05); a printed *** is read as p < .001, a level the notes never define.
 */
import { correlationP } from './correlation.js';
import { stars } from './significance.js';

/** Whether printed stars name the highest level p reaches (** also covers p < .001). */
export function starsHold(printed: string, p: number): boolean {
  switch (printed) {
    case '':
      return p >= 0.05;
    case '*':
      return p < 0.05 && p >= 0.01;
    case '**':
      return p < 0.01;
    case '***':
      return p < 0.001;
    default:
      return false;
  }
}

/** Beyond this n a printed r is taken to be significant at no n at all. */
const N_CAP = 10_000_000;

/** Smallest n >= 3 at which p(r, n) < alpha, or Infinity (p falls as n grows, so bisection finds it). */
export function smallestNBelow(r: number, alpha: number): number {
  if (correlationP(r, N_CAP) >= alpha) return Infinity;
  let lo = 3;
  let hi = N_CAP;
  if (correlationP(r, lo) < alpha) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (correlationP(r, mid) < alpha) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The range of n over which printed stars hold for r: [low, high], high Infinity when unbounded, undefined when none. */
export function consistentRange(r: number, printed: string): { low: number; high: number } | undefined {
  const below = (alpha: number) => smallestNBelow(r, alpha);
  let low: number;
  let high: number;
  switch (printed) {
    case '':
      [low, high] = [3, below(0.05) - 1];
      break;
    case '*':
      [low, high] = [below(0.05), below(0.01) - 1];
      break;
    case '**':
      [low, high] = [below(0.01), Infinity];
      break;
    case '***':
      [low, high] = [below(0.001), Infinity];
      break;
    default:
      return undefined;
  }
  return low <= high && Number.isFinite(low) ? { low, high } : undefined;
}

export type StarVerdict = 'consistent' | 'borderline' | 'inconsistent';

export interface StarCheck {
  /** p of r at n. */
  p: number;
  /** The stars p earns. */
  starsAtN: string;
  /** consistent: the stars hold at n; borderline: they hold at some n from n/2 to n (respondents lost to missing answers); else inconsistent. */
  verdict: StarVerdict;
  range: { low: number; high: number } | undefined;
}

/** The printed stars of r against the n respondents the table reports for its area. */
export function checkStars(r: number, printed: string, n: number): StarCheck {
  const p = correlationP(r, n);
  const range = consistentRange(r, printed);
  const half = Math.ceil(n / 2);
  const verdict: StarVerdict = starsHold(printed, p) ? 'consistent' : range && range.low <= n && range.high >= half ? 'borderline' : 'inconsistent';
  return { p, starsAtN: stars(p), verdict, range };
}
