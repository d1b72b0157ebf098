/**
 * The row lineage of audit.csv (for `explain --cell`): each audit row rests on the lines of the
 * transcription (raw/published-tables.json) that hold the printed values it judges and the ones its
 * judgement reads (the area's N, the rest of the row, the cells a claim counts), and on the rows of
 * Tables 2-5 that recompute the judged values from the data, so a doubtful printed number leads both
 * to where it was transcribed and to the respondents behind its recomputation.
 */
import type { Artifact } from '../../contract/step.js';
import { jsonLineSpans, linesOf } from '../../lib/table/json-lines.js';
import { rowLineage } from '../../lib/table/row-lineage.js';
import type { PublishedTables } from '../../lib/report/published.js';
import type { Audit } from './audit.js';
import { rowFinder } from './reproduction-lineage.js';

const TABLES = ['tables/table2.csv', 'tables/table3.csv', 'tables/table4.csv', 'tables/table5.csv'];

/** The JSON Pointer of every object and array of the parsed transcription, by identity. */
function pointers(value: unknown, at = '', out = new Map<object, string>()): Map<object, string> {
  if (value === null || typeof value !== 'object') return out;
  out.set(value, at);
  for (const [k, v] of Object.entries(value)) pointers(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  return out;
}

/** The recomputed table and keys of a printed entry, by where the transcription keeps it. */
function recomputedRow(pointer: string, entry: Record<string, unknown>): { file: string; keys: Record<string, string> } | undefined {
  const s = (k: string) => String(entry[k] ?? '');
  if (pointer.startsWith('/table2/rows/')) return { file: 'tables/table2.csv', keys: { area: s('area'), theme: s('theme') } };
  if (pointer.startsWith('/correlations/entries/'))
    return { file: `tables/table${s('table')}.csv`, keys: { area: s('area'), theme: s('theme'), predictor: s('predictor'), item: s('item') } };
  if (pointer.startsWith('/table5/entries/')) return { file: 'tables/table5.csv', keys: { area: s('area'), theme: s('theme'), item: s('item'), outcome: s('outcome'), term: s('term') } };
  return undefined;
}

/** `tables`: the published analysis tables' CSV text by file name. */
export function auditLineage(checked: Audit, published: PublishedTables, transcription: Artifact, tables: Readonly<Record<string, string>>, paperWave: number): string {
  const spans = jsonLineSpans(transcription.text());
  const where = pointers(published);
  const find = rowFinder(tables, paperWave);
  const inputs = [transcription.path, ...TABLES];
  return rowLineage(
    inputs,
    inputs.map((_, i) => (i === 0 ? 'line' : 'row')),
    checked.sources.map(({ about, context }) => {
      const lines = new Set<number>();
      const rows = new Map<number, Set<number>>();
      for (const entry of [...about, ...context]) {
        const span = spans.get(where.get(entry) ?? '\0');
        if (span) for (const l of linesOf(span)) lines.add(l);
      }
      for (const entry of about) {
        const target = recomputedRow(where.get(entry) ?? '', entry as Record<string, unknown>);
        const row = target && find(target.file, target.keys);
        if (!target || row === undefined) continue;
        const at = inputs.indexOf(target.file);
        rows.set(at, (rows.get(at) ?? new Set()).add(row));
      }
      const refs: Array<[number, number[]]> = [];
      if (lines.size) refs.push([0, [...lines].sort((a, b) => a - b)]);
      for (const [at, set] of [...rows].sort(([a], [b]) => a - b)) refs.push([at, [...set].sort((a, b) => a - b)]);
      return { refs };
    }),
  );
}
