/**
 * The small grammar the findings are written with: counts that pluralise and say "none" at zero,
 * lists joined with "and", numbers formatted the way the tables print them.
 */

const SMALL = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** "one cell", "3 cells"… with words up to ten; `zero` replaces "no …" when given (e.g. "none"). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  const noun = n === 1 ? singular : plural;
  return `${n <= 10 ? SMALL[n] : String(n)} ${noun}`;
}

/** A number as a word up to ten ("none" at zero), else digits. */
export function numberWord(n: number, zero = 'none'): string {
  if (n === 0) return zero;
  return n <= 10 ? SMALL[n]! : String(n);
}

/** "a", "a and b", "a, b and c"; `empty` when there is nothing to list. */
export function list(items: readonly string[], empty = 'none'): string {
  if (items.length === 0) return empty;
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Items that contain commas themselves: "a; b; and c". */
export function longList(items: readonly string[], empty = 'none'): string {
  if (items.length <= 2) return list(items, empty);
  return `${items.slice(0, -1).join('; ')}; and ${items[items.length - 1]}`;
}

/** Fixed decimals without "-0.000": a value that rounds to zero is shown unsigned. */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A percentage as the paper prints it: a whole number. */
export const pct = (x: number) => `${fixed(x, 0)}%`;

/** A correlation as printed: three decimals. */
export const r3 = (r: number) => fixed(r, 3);

/** A regression coefficient as printed: one decimal. */
export const coef1 = (b: number) => fixed(b, 1);

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
