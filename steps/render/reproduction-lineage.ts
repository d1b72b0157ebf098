/**
 * The row lineage of reproduction.csv (for `explain --cell`): each comparison's recomputed value is a cell
 * of one of the published analysis tables (Table 2, 3, 4 or 5 of the paper's wave, or the time items the
 * text quotes), so its row rests on that table's row, which has lineage of its own. Table 1's counts come
 * from the validation reports and name no table row.
 */
import { csvParse } from 'd3-dsv';
import { rowLineage } from '../../lib/table/row-lineage.js';
import type { Comparison } from '../../lib/report/reproduction.js';

/** For each table of the paper: the published file, and the columns that identify a comparison's row in it. */
const SOURCES: Record<string, { file: string; keys: (c: Comparison) => Record<string, string> }> = {
  '2': { file: 'tables/table2.csv', keys: (c) => ({ area: c.area, theme: c.theme }) },
  '3': { file: 'tables/table3.csv', keys: (c) => ({ area: c.area, theme: c.theme, predictor: c.predictor, item: c.item }) },
  '4': { file: 'tables/table4.csv', keys: (c) => ({ area: c.area, theme: c.theme, predictor: c.predictor, item: c.item }) },
  '5': { file: 'tables/table5.csv', keys: (c) => ({ area: c.area, theme: c.theme, item: c.item, outcome: c.outcome, term: c.term }) },
  // The numbers the article's text gives for Barnet's time items.
  text: { file: 'tables/time-items.csv', keys: (c) => ({ area: c.area, theme: c.theme, item: c.predictor }) },
};

/**
 * Finds the one row (1-based) of a published table of the paper's wave with the given keys, or
 * undefined. `tables`: the published tables' CSV text by file name.
 */
export function rowFinder(tables: Readonly<Record<string, string>>, paperWave: number) {
  const rowsOf = new Map<string, Array<Record<string, string>>>();
  return (file: string, keys: Record<string, string>): number | undefined => {
    if (!rowsOf.has(file)) rowsOf.set(file, tables[file] === undefined ? [] : csvParse(tables[file]!));
    const rows = rowsOf.get(file)!;
    const want: Record<string, string> = { wave: String(paperWave), ...keys };
    const matching = (keys: Record<string, string>) => rows.flatMap((row, i) => (Object.entries(keys).every(([k, v]) => (row[k] ?? '') === v) ? [i] : []));
    let found = matching(want);
    // A question the article prints whole that the area asked once under a sub-item's name: its one row.
    if (found.length === 0 && want.item === '') {
      const { item: _item, ...loose } = want;
      found = matching(loose);
    }
    return found.length === 1 ? found[0]! + 1 : undefined;
  };
}

/** `tables`: the published tables' CSV text by file name. */
export function reproductionLineage(comparisons: readonly Comparison[], tables: Readonly<Record<string, string>>, paperWave: number): string {
  const files = [...new Set(Object.values(SOURCES).map((s) => s.file))];
  const find = rowFinder(tables, paperWave);
  return rowLineage(
    files,
    files.map(() => 'row'),
    comparisons.map((c) => {
      const source = SOURCES[c.table];
      if (!source || c.recomputed === null) return { refs: [] };
      const row = find(source.file, source.keys(c));
      return { refs: row === undefined ? [] : [[files.indexOf(source.file), [row]]] };
    }),
  );
}
