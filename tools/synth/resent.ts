/**
 * Exports of the replica that ship as councils re-send them: Swansea's wave 2014 as an SPSS file (numeric
 * codes with value labels, don't-know codes user-missing, the codebook's questions as variable labels),
 * Derbyshire Dales' wave 2014 as an Excel workbook (cells as typed, whole numbers as numbers). Each holds
 * the answers of the CSV the generator writes for it, so clean gives the same records and the same tables.
 *
 * Pure: this module turns the generated CSV into PSPP syntax or sheet rows; `resend-cli.ts` runs PSPP and
 * exceljs and writes the files, which are committed as made (both tools stamp the time, see there).
 */
import { csvParseRows } from 'd3-dsv';
import { normaliseLabel } from '../../lib/survey/codebook.js';

export type ResentFormat = 'sav' | 'xlsx';

/** The generated CSV's path → the format it ships in. */
export const RESENT: Readonly<Record<string, ResentFormat>> = {
  'raw/2014/swansea.csv': 'sav',
  'raw/2014/derbyshire-dales.csv': 'xlsx',
};

/** Where a generated CSV ships, re-sent: the same path with the format's extension. */
export function resentPath(csvPath: string): string | undefined {
  const format = RESENT[csvPath];
  return format && csvPath.replace(/\.csv$/, `.${format}`);
}

interface CodebookJson {
  dont_know: string[];
  label_sets?: Record<string, Record<string, unknown>>;
  columns: Record<string, { variable: string; question?: string; labels?: Record<string, unknown>; label_set?: string }>;
}

const WHOLE = /^(0|[1-9]\d*)$/;

function parse(csv: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = csvParseRows(csv.replace(/^\ufeff/, '')).filter((r) => !(r.length === 1 && r[0] === ''));
  return { header: header!, rows };
}

/** Sheet rows for exceljs: the header, then each cell as text, or as a number where it is a whole number. */
export function workbookRows(csv: string): (string | number)[][] {
  const { header, rows } = parse(csv);
  return [header, ...rows.map((r) => r.map((cell) => (WHOLE.test(cell) ? Number(cell) : cell)))];
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * PSPP syntax that saves the CSV's answers as `outFile`: the respondent ID a string, every other column
 * numeric. Whole numbers stay the numbers they are; each answer label takes its code from the codebook
 * (its most frequent spelling, trimmed, becomes the value label), a don't-know spelling 99, 98, …
 * declared user-missing, and a blank cell is system-missing.
 */
export function spssSyntax(csv: string, book: CodebookJson, outFile: string): string {
  const { header, rows } = parse(csv);
  const idAt = header.findIndex((h) => book.columns[h]?.variable === 'respondent_id');
  const dontKnow = [...book.dont_know].sort();
  const columns = header.map((name, c) => {
    if (c === idAt) return { name, codes: new Map<string, number>(), labels: [] as [number, string][], missing: [] as number[] };
    const spec = book.columns[name]!;
    const mapped = (spec.label_set !== undefined ? book.label_sets?.[spec.label_set] : spec.labels) ?? {};
    const spellings = new Map<string, Map<string, number>>();
    const numbers = new Set<number>();
    for (const row of rows) {
      const cell = row[c]!;
      if (cell.trim() === '') continue;
      if (WHOLE.test(cell)) {
        numbers.add(Number(cell));
        continue;
      }
      const label = normaliseLabel(cell);
      const counts = spellings.get(label) ?? new Map<string, number>();
      counts.set(cell.trim(), (counts.get(cell.trim()) ?? 0) + 1);
      spellings.set(label, counts);
    }
    const codes = new Map<string, number>();
    const labels: [number, string][] = [];
    const missing: number[] = [];
    for (const label of [...spellings.keys()].sort()) {
      const target = mapped[label];
      const dk = dontKnow.indexOf(label);
      const code = dk !== -1 ? 99 - dk : typeof target === 'number' ? target : undefined;
      if (code === undefined || numbers.has(code) || labels.some(([k]) => k === code)) {
        throw new Error(`${name}: no free code for the answer "${label}" (codebook target ${JSON.stringify(target)})`);
      }
      const shown = [...spellings.get(label)!].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]![0];
      codes.set(label, code);
      labels.push([code, shown]);
      if (dk !== -1) missing.push(code);
    }
    labels.sort(([a], [b]) => a - b);
    return { name, codes, labels, missing: missing.sort((a, b) => a - b) };
  });
  const width = Math.max(1, ...rows.map((r) => Buffer.byteLength(r[idAt]!)));
  const cell = (raw: string, c: number) => (c === idAt ? quote(raw) : raw.trim() === '' ? '.' : WHOLE.test(raw) ? raw : String(columns[c]!.codes.get(normaliseLabel(raw))));
  const lines = [
    "SET LOCALE='C.UTF-8'.",
    `DATA LIST LIST /${header.map((h, c) => `${h} (${c === idAt ? `A${width}` : 'F2.0'})`).join(' ')}.`,
    'BEGIN DATA',
    ...rows.map((r) => r.map(cell).join(' ')),
    'END DATA.',
    'VARIABLE LABELS',
    ...header.map((h, c) => `  ${c === 0 ? '' : '/'}${h} ${quote(book.columns[h]?.question ?? h)}`),
    '.',
  ];
  const labelled = columns.filter((c) => c.labels.length);
  if (labelled.length) lines.push('VALUE LABELS', ...labelled.map((c, i) => `  ${i === 0 ? '' : '/'}${c.name} ${c.labels.map(([k, l]) => `${k} ${quote(l)}`).join(' ')}`), '.');
  const withMissing = columns.filter((c) => c.missing.length);
  if (withMissing.length) lines.push('MISSING VALUES', ...withMissing.map((c, i) => `  ${i === 0 ? '' : '/'}${c.name} (${c.missing.slice(0, 3).join(', ')})`), '.');
  lines.push(`SAVE OUTFILE=${quote(outFile)} /COMPRESSED.`);
  return lines.join('\n') + '\n';
}
