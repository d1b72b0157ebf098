/**
 * The pieces of analysis work that can run on a worker thread (pool.ts, or parse-records.ts's helper) or
 * in the step's own thread: each takes plain data (typed arrays, strings, numbers) and returns plain data.
 */
import { isAscii } from 'node:buffer';
import { DataError } from '../../runner/step.js';
import { corTest, ols, type CorrelationMethod, type CorrelationTest, type OlsFit } from '../stats/index.js';
import type { CanonicalRecord } from '../survey/record.js';
import { forEachLine } from '../survey/ndjson.js';
import { ScoresBuilder, type ScoresChunk } from './scoring.js';
import { RecordScan } from './record-scan.js';

/**
 * Parses one chunk of whole lines; errors carry a line number counted from the chunk's first line.
 * Pure-ASCII chunks (what validate writes) are read line by line from the bytes by RecordScan, with
 * JSON.parse only for the lines it does not take; other chunks are decoded and JSON-parsed throughout.
 * `scan: false` forces the second route (tests compare the two).
 */
export function parseChunk(bytes: Uint8Array, minActivityAnswers: number, file: string, { scan = true } = {}): ScoresChunk {
  const builder = new ScoresBuilder(minActivityAnswers);
  const parse = (line: string, i: number) => {
    let record: CanonicalRecord;
    try {
      record = JSON.parse(line) as CanonicalRecord;
    } catch (e) {
      throw new DataError(`not a JSON record (${(e as Error).message})`, { file, line: i + 1 });
    }
    builder.add(record, { file, line: i + 1 });
  };
  if (!scan || !isAscii(bytes)) {
    forEachLine(bytes, parse);
    return builder.finish();
  }
  // Numbered as forEachLine numbers them: non-empty lines only.
  const scanner = new RecordScan();
  let index = 0;
  for (let start = 0; start < bytes.length; ) {
    const nl = bytes.indexOf(10, start);
    const end = nl === -1 ? bytes.length : nl;
    if (end > start) {
      if (scanner.scan(bytes, start, end)) builder.addScan(scanner, bytes);
      else parse(latin1.decode(bytes.subarray(start, end)), index);
      index++;
    }
    start = end + 1;
  }
  return builder.finish();
}

/** ASCII text decoded byte for byte (only ever given ASCII here). */
const latin1 = new TextDecoder('latin1');

export interface CorrelateGroupInput {
  method: CorrelationMethod;
  /** Outcome columns (null where the group did not ask the outcome) and their names. */
  ys: (Float64Array | null)[];
  yNames: string[];
  xs: Float64Array[];
  xNames: string[];
}

/** One correlation, or why it does not exist. */
export type CellResult = { test: CorrelationTest } | { error: { message: string; where: DataError['where'] } } | null;

/** Every correlation of a group: cells[x][y], null where the outcome was not asked. */
export function correlateGroupTask(input: CorrelateGroupInput): CellResult[][] {
  return input.xs.map((x, i) =>
    input.ys.map((y, k): CellResult => {
      if (y === null) return null;
      try {
        return { test: corTest(y, x, { method: input.method, names: [input.yNames[k]!, input.xNames[i]!] }) };
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        return { error: { message: e.message, where: e.where } };
      }
    }),
  );
}

export interface FitModelInput {
  y: Float64Array;
  outcome: string;
  columns: Float64Array[];
  names: string[];
}

/** One OLS fit (throws DataError when the design cannot be fitted). */
export function fitModelTask(input: FitModelInput): OlsFit {
  return ols(input.y, input.columns, input.names, { outcome: input.outcome });
}

export const TASKS = {
  correlateGroup: correlateGroupTask,
  fitModel: fitModelTask,
} satisfies Record<string, (input: never) => unknown>;
