/**
 * index's row lineage (for `explain --cell`): which raw lines each scores row was read from, and which
 * scores rows each row of Table 2 and of the time items rests on. Kept apart from the scoring, which
 * never looks at where a record came from: the records tables' own source columns (file and line, set
 * by clean and passed on by validate) are read here.
 */
import type { RecordsTable } from '../survey/records-table.js';
import { itemOutcomes } from '../survey/analysis-vocabulary.js';
import { rowLineage, type RowRefs } from './row-lineage.js';
import type { ScoresColumns, ScoresLayout } from './scores.js';

/** `wave|area|id` → raw file and line, from the records tables' own source columns. */
function sources(tables: readonly RecordsTable[]): Map<string, { file: string; line: number }> {
  const found = new Map<string, { file: string; line: number }>();
  for (const t of tables)
    for (let row = 0; row < t.rows; row++) found.set(`${t.wave[row]}|${t.area[row]}|${t.respondentId[row]}`, { file: t.sourceFile[row]!, line: t.sourceLine[row]! });
  return found;
}

/** scores.arrow.lineage.json: each scores row → the raw line of its record, keyed by respondent ID. */
export function scoresLineage(records: readonly RecordsTable[], layout: ScoresLayout, c: ScoresColumns): string {
  const where = sources(records);
  const files: string[] = [...new Set([...where.values()].map((w) => w.file))].sort();
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const decoder = new TextDecoder();
  const rows: RowRefs[] = [];
  for (const g of layout.groups)
    for (let i = g.start; i < g.start + g.rows; i++) {
      const id = decoder.decode(c.respondentId.bytes.subarray(c.respondentId.offsets[i]!, c.respondentId.offsets[i + 1]!));
      const w = where.get(`${g.wave}|${g.area}|${id}`);
      rows.push({ refs: w ? [[fileIndex.get(w.file)!, [w.line]]] : [], key: id });
    }
  return rowLineage(files, files.map(() => 'line'), rows);
}

/** table2.csv.lineage.json: each group's row → every scores row of the group (its respondents). */
export function table2Lineage(layout: ScoresLayout): string {
  return rowLineage(['scores.arrow'], ['row'], layout.groups.map((g) => ({ refs: [[0, range(g.start, g.rows)]] })));
}

/** time-items.csv.lineage.json: each item's row → the scores rows that answered it (its n). */
export function timeItemsLineage(layout: ScoresLayout, c: ScoresColumns): string {
  const items = itemOutcomes(layout.vocabulary);
  const rows = layout.groups.flatMap((g) =>
    items
      .filter((item) => g.outcomes.includes(item))
      .map((item): RowRefs => {
        const values = c.outcomes.get(item)!;
        const answered: number[] = [];
        for (let i = g.start; i < g.start + g.rows; i++) if (!(values[i]! < 0)) answered.push(i + 1);
        return { refs: [[0, answered]] };
      }),
  );
  return rowLineage(['scores.arrow'], ['row'], rows);
}

const range = (start: number, count: number) => Array.from({ length: count }, (_, k) => start + k + 1);
