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

/** `tables`: the published tables' CSV text by file name. */
export function reproductionLineage(comparisons: readonly Comparison[], tables: Readonly<Record<string, string>>, paperWave: number): string {
  const files = [...new Set(Object.values(SOURCES).map((s) => s.file))];
  const rowsOf = new Map(files.map((f) => [f, tables[f] === undefined ? [] : csvParse(tables[f]!)]));
  return rowLineage(
    files,
    files.map(() => 'row'),
    comparisons.map((c) => {
      const source = SOURCES[c.table];
      if (!source || c.recomputed === null) return { refs: [] };
      const want: Record<string, string> = { wave: String(paperWave), ...source.keys(c) };
      const rows = rowsOf.get(source.file)!;
      const matching = (keys: Record<string, string>) => rows.flatMap((row, i) => (Object.entries(keys).every(([k, v]) => (row[k] ?? '') === v) ? [i] : []));
      let found = matching(want);
      // A question the article prints whole that the area asked once under a sub-item's name: its one row.
      if (found.length === 0 && want.item === '') {
        const { item: _item, ...loose } = want;
        found = matching(loose);
      }
      return { refs: found.length === 1 ? [[files.indexOf(source.file), [found[0]! + 1]]] : [] };
    }),
  );
}
