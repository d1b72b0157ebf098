/**
 * index's row lineage (for `explain --cell`): which raw lines each scores row was read from, and which
 * scores rows each row of Table 2 and of the time items rests on. Kept apart from the scoring, which
 * never looks at where a record came from: the records tables' own source columns (file and line, set
 * by clean and passed on by validate) are read here.
 */
import { itemOutcomes } from '../survey/analysis-vocabulary.js';
import { pushRow, RowLineage, span, type Ranges } from './row-lineage.js';
import type { ScoresColumns, ScoresLayout } from './scores.js';

/**
 * scores.arrow.lineage.json: each scores row → the raw line of its record, keyed by respondent ID.
 * `files` are every raw file the records tables name, sorted; per scores row, its record's file, line and ID.
 */
export function scoresLineage(files: readonly string[], rows: { files: readonly string[]; lines: readonly number[]; ids: readonly string[] }): string {
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const lineage = new RowLineage(files, files.map(() => 'line'));
  for (let i = 0; i < rows.ids.length; i++) lineage.addOne(fileIndex.get(rows.files[i]!)!, rows.lines[i]!, rows.ids[i]!);
  return lineage.json();
}

/** table2.csv.lineage.json: each group's row → every scores row of the group (its respondents). */
export function table2Lineage(layout: ScoresLayout): string {
  const lineage = new RowLineage(['scores.arrow'], ['row']);
  for (const g of layout.groups) lineage.add([[0, span(g.start + 1, g.rows)]]);
  return lineage.json();
}

/** time-items.csv.lineage.json: each item's row → the scores rows that answered it (its n). */
export function timeItemsLineage(layout: ScoresLayout, c: ScoresColumns): string {
  const items = itemOutcomes(layout.vocabulary);
  const lineage = new RowLineage(['scores.arrow'], ['row']);
  for (const g of layout.groups)
    for (const item of items.filter((item) => g.outcomes.includes(item))) {
      const values = c.outcomes.get(item)!;
      const answered: Ranges = [];
      for (let i = g.start; i < g.start + g.rows; i++) if (!(values[i]! < 0)) pushRow(answered, i + 1);
      lineage.add([[0, answered]]);
    }
  return lineage.json();
}
