/**
 * index's row lineage (for `explain --cell`): which raw lines each scores row was read from, and which
 * scores rows each row of Table 2 and of the time items rests on. Kept apart from the scoring, which
 * never looks at where a record came from: the records' own `source` (file and line, set by clean and
 * passed on by validate) is read here in a second, cheap scan of the inputs.
 */
import { type Artifact } from '../../runner/step.js';
import { rowLineage, type RowRefs } from './row-lineage.js';
import type { ScoresColumns, ScoresLayout } from './scores.js';

const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
// Records as clean writes them (validate passes them on) begin with these fields in this order; any other
// order is found by the slower, unanchored pattern.
const LEADING = new RegExp(String.raw`^\{"wave":(\d+),"area":${STRING},"respondent_id":${STRING},"source":\{"file":${STRING},"line":(\d+)\}`);
const ANYWHERE = new RegExp(String.raw`^(?=.*"wave":(\d+))(?=.*"area":${STRING})(?=.*"respondent_id":${STRING})(?=.*"source":\{"file":${STRING},"line":(\d+)\})`);
const unquote = (s: string) => (s.includes('\\') ? (JSON.parse(`"${s}"`) as string) : s);

/** `wave|area|id` → raw file and line, from each record line's leading fields; inputs are read in pieces, never whole. */
function sources(records: readonly Artifact[]): Map<string, { file: string; line: number }> {
  const found = new Map<string, { file: string; line: number }>();
  const decoder = new TextDecoder();
  const take = (line: Uint8Array) => {
    const m = LEADING.exec(decoder.decode(line.subarray(0, 512))) ?? ANYWHERE.exec(decoder.decode(line));
    if (m) found.set(`${m[1]}|${unquote(m[2]!)}|${unquote(m[3]!)}`, { file: unquote(m[4]!), line: Number(m[5]) });
  };
  for (const input of records) {
    let carry = new Uint8Array(0);
    for (const piece of input.chunks(8 * 1024 * 1024)) {
      // A line cut by the piece's end is carried over (copied: the piece's memory may be reused).
      const bytes = carry.length ? concat(carry, piece) : piece;
      let start = 0;
      for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
        if (end > start) take(bytes.subarray(start, end));
        start = end + 1;
      }
      carry = bytes.slice(start);
    }
    if (carry.length) take(carry);
  }
  return found;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** scores.arrow.lineage.json: each scores row → the raw line of its record, keyed by respondent ID. */
export function scoresLineage(records: readonly Artifact[], layout: ScoresLayout, c: ScoresColumns): string {
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
  const rows = layout.groups.flatMap((g) =>
    (['current_time', 'more_time'] as const)
      .filter((item) => g.outcomes.includes(item))
      .map((item): RowRefs => {
        const answered: number[] = [];
        for (let i = g.start; i < g.start + g.rows; i++) if (!(c[item][i]! < 0)) answered.push(i + 1);
        return { refs: [[0, answered]] };
      }),
  );
  return rowLineage(['scores.arrow'], ['row'], rows);
}

const range = (start: number, count: number) => Array.from({ length: count }, (_, k) => start + k + 1);
