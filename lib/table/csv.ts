/**
 * The analysis tables as CSV: fixed columns, a header line, `\n` line ends, and numbers printed at a fixed
 * precision so that the same input always gives the same bytes and a diff shows only real changes.
 *
 * Number formats (one place, so every table agrees):
 *   - `fixed(x, d)`: d decimals, `-0.000000` printed as `0.000000` (percentages 2, r and its interval 6,
 *     regression coefficients, standard errors, t and intervals 4);
 *   - `significant(p)`: p-values to 6 significant digits in JavaScript's shortest form (`0.0123457`,
 *     `1.23457e-7`, `0`);
 *   - integers as they are; a missing value (null, NaN) as an empty cell.
 *
 * Text cells are quoted when they hold a comma, quote or line break, and a text cell that a spreadsheet
 * would read as a formula (starting with = + - @, tab or carriage return) gets a leading apostrophe.
 * Cells that are numbers are never altered, so `-0.062` stays a number.
 */

export type Cell = string | number | null;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** `x` with `digits` decimals; null and NaN give an empty cell. */
export function fixed(x: number | null, digits: number): string {
  if (x === null || Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) throw new RangeError(`cannot print ${x} in a table cell`);
  const s = x.toFixed(digits);
  // A tiny negative rounds to "-0.00…": print it unsigned so the sign never flips between runs.
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** `x` to 6 significant digits in shortest form; null and NaN give an empty cell. */
export function significant(x: number | null): string {
  if (x === null || Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) throw new RangeError(`cannot print ${x} in a table cell`);
  const s = String(Number(x.toPrecision(6)));
  return s === '-0' ? '0' : s;
}

/** One cell as CSV text: numbers verbatim, formula-like text defused, then RFC 4180 quoting. */
export function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new RangeError(`cannot print ${cell} in a table cell`);
    return String(cell);
  }
  let s = cell;
  if (FORMULA_START.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole file: header line, one line per row, each ending in `\n`. Rows must match the header's width. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  rows.forEach((row, i) => {
    if (row.length !== header.length) throw new RangeError(`CSV row ${i} has ${row.length} cells, header has ${header.length}`);
    lines.push(row.map(csvCell).join(','));
  });
  return lines.join('\n') + '\n';
}
