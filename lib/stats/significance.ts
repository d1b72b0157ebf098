/**
 * Significance stars as the paper's table notes define them.
 */

/** `'**'` when p < .01, `'*'` when p < .05, `''` otherwise. Throws on NaN or a p outside [0, 1]. */
export function stars(p: number): '**' | '*' | '' {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value must lie in [0, 1], got ${p}`);
  return p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}
