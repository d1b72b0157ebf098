/**
 * index's row lineage (for `explain --cell`): which raw lines each scores row was read from, and which
 * scores rows each row of Table 2 and of the time items rests on. Kept apart from the scoring, which
 * never looks at where a record came from: the records tables' own source columns (file and line, set
 * by clean and passed on by validate) are read here.
 */
import { itemOutcomes } from '../survey/analysis-vocabulary.js';
import { rowLineage, rowLineageOf, type RowRefs } from './row-lineage.js';
import type { ScoresColumns, ScoresLayout } from './scores.js';

/**
 * scores.arrow.lineage.json: each scores row → the raw line of its record, keyed by respondent ID.
 * `files` are every raw file the records tables name, sorted; per scores row, its record's file, line and ID.
 */
export function scoresLineage(files: readonly string[], rows: { files: readonly string[]; lines: readonly number[]; ids: readonly string[] }): string {
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  return rowLineageOf(files, files.map(() => 'line'), rows.ids.length, (i) => [[fileIndex.get(rows.files[i]!)!, [rows.lines[i]!]]], (i) => rows.ids[i]!);
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
