/**
 * A CSV export in the readers' common shape: the header's names, then each non-empty line's cells as
 * written (csv-parse, as the clean step reads them), with the line the row ends on. The file is fed to
 * csv-parse in pieces and its records taken as they come, so a large file is never held whole.
 */
import { parse } from 'csv-parse';
import { DataError } from '../../../contract/step.js';
import type { ExportRow, ExportSource } from './table.js';

interface Parsed {
  record: string[];
  info: { lines: number };
}

/** Records of the file's pieces in order; csv-parse's error becomes a DataError naming the file and line. */
function* records(file: string, pieces: Iterable<Uint8Array>): Generator<Parsed> {
  const parser = parse({ bom: true, info: true, skip_empty_lines: true });
  const failed = (): DataError | undefined => {
    const err = parser.errored as (Error & { lines?: number }) | null;
    return err ? new DataError(`the CSV cannot be parsed: ${err.message}`, { file, ...(err.lines !== undefined ? { line: err.lines } : {}) }) : undefined;
  };
  parser.on('error', () => {}); // read from `errored` below, where the row it concerns is known
  const drain = function* (): Generator<Parsed> {
    for (let r = parser.read() as Parsed | null; r !== null; r = parser.read() as Parsed | null) yield r;
    const error = failed();
    if (error) throw error;
  };
  for (const piece of pieces) {
    parser.write(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
    yield* drain();
  }
  parser.end();
  yield* drain();
}

/** `pieces` are read in order, each before the next is asked for; none is kept. */
export function openCsv(file: string, pieces: Iterable<Uint8Array>): ExportSource {
  const all = records(file, pieces);
  const first = all.next();
  if (first.done) throw new DataError('the CSV is empty: it needs a header line of column names', { file });
  return {
    file,
    format: 'csv',
    columns: first.value.record.map((name) => ({ name })),
    rows: async function* (): AsyncGenerator<ExportRow> {
      for (const { record, info } of all) yield { at: info.lines, cells: record };
    },
  };
}
