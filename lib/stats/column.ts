/**
 * The numeric column type the statistics functions accept, and the missing-value rule they share:
 * NaN marks a missing value; ±Infinity is never a legitimate survey value, so it is rejected
 * rather than silently dropped.
 */
import { DataError } from '../../contract/step.js';

/** A numeric column; NaN means missing. */
export type Column = Float64Array | readonly number[];

/** Throws when `column` holds an infinite value, naming the column and the row. */
export function assertNoInfinity(column: Column, name: string): void {
  for (let i = 0; i < column.length; i++) {
    const v = column[i] as number;
    if (v === Infinity || v === -Infinity) {
      throw new DataError(`column "${name}" holds an infinite value at row ${i}; use NaN to mark a missing value`, {
        column: name,
        value: String(v),
      });
    }
  }
}

/** Throws unless every column has `length` rows. */
export function assertSameLength(columns: readonly Column[], names: readonly string[], length: number, what: string): void {
  columns.forEach((c, j) => {
    if (c.length !== length) {
      throw new DataError(`column "${names[j]}" has ${c.length} rows but ${what} has ${length}`, {
        column: names[j],
        value: c.length,
      });
    }
  });
}

/**
 * The smallest and largest value ([Infinity, -Infinity] when empty; NaN when any value is NaN, as
 * Math.min and Math.max give), by a loop: spreading a column into Math.min's arguments overflows the
 * call stack past a hundred thousand or so values.
 */
export function extent(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  return [min, max];
}
