/**
 * A CSV export in the readers' common shape: the header's names, then each non-empty line's cells as
 * written (csv-parse, as the clean step reads them), with the line the row ends on.
 */
import { parse } from 'csv-parse/sync';
import { DataError } from '../../../runner/step.js';
import type { ExportSource } from './table.js';

export function openCsv(file: string, bytes: Uint8Array): ExportSource {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new DataError(`the CSV cannot be parsed: ${err.message}`, { file, ...(err.lines !== undefined ? { line: err.lines } : {}) });
  }
  const [header, ...rows] = records;
  if (!header) throw new DataError('the CSV is empty: it needs a header line of column names', { file });
  return {
    file,
    format: 'csv',
    columns: header.record.map((name) => ({ name })),
    rows: async function* () {
      for (const { record, info } of rows) yield { at: info.lines, cells: record };
    },
  };
}
