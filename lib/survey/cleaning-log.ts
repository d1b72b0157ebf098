/**
 * The cleaning log's per-column part, and the header check it rests on: how often each distinct raw cell
 * of a column occurred is all the log needs, and each distinct cell is judged by decodeCell as clean
 * judged it.
 */
import { DataError, type Artifact } from '../../contract/step.js';
import schema from '../../schemas/cleaning-log.schema.json' with { type: 'json' };
import { readChecked } from '../table/read-json.js';
import { decodeCell, normaliseLabel, type CompiledCodebook, type CompiledColumn } from './codebook.js';
import type { ExportFormat, ExportRef } from './exports.js';

export interface ColumnLog {
  variable: string;
  /** The variable label the export gives the column (SPSS), as the file holds it. */
  label?: string;
  /** Normalised label → code it became and how often. */
  recodes: Record<string, { code: number | string | null; count: number }>;
  /** Whole numbers copied through as codes (numeric columns). */
  passed_through: Record<string, number>;
  /** Normalised don't-know spelling → count. */
  dont_know: Record<string, number>;
  /** Normalised label the codebook maps to "refused" → count. */
  refused: Record<string, number>;
  blank: number;
  /** Cells with leading/trailing spaces that still matched. */
  trimmed: number;
  /** Cells whose case or inner spacing differed from the codebook's label. */
  case_folded: number;
  /** Labels the codebook does not know, which sent their rows to quarantine. */
  quarantined: Record<string, number>;
}

/**
 * The header's columns in the codebook, in header order; a DataError for any mismatch. `line` is the
 * header's line in a CSV; other formats name columns without a line.
 */
export function headerColumns(header: string[], ref: ExportRef, book: CompiledCodebook, line?: number): CompiledColumn[] {
  const names = header.map((h) => h.trim());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') throw new DataError(`column ${index.size + 1} of the header has no name: name it as the codebook does, or delete the column`, { file: ref.file, ...(line !== undefined ? { line } : {}) });
    if (index.has(name)) throw new DataError('column appears twice in the header', { file: ref.file, ...(line !== undefined ? { line } : {}), column: name });
    if (!book.columns.has(name)) {
      throw new DataError(`column is not in codebook ${book.file}: add it under "columns"`, { file: ref.file, ...(line !== undefined ? { line } : {}), column: name });
    }
    index.set(name, i);
  });
  for (const name of book.columns.keys()) {
    if (!index.has(name)) throw new DataError(`column required by codebook ${book.file} is missing from the export`, { file: ref.file, ...(line !== undefined ? { line } : {}), column: name });
  }
  return names.map((n) => book.columns.get(n)!);
}

/** Counts by raw cell, per column in header order, and how many respondent IDs were blank. */
export interface FileTally {
  idBlanks: number;
  cells: Map<string, number>[];
}

/** The cleaning log's columns for one file, from its added-up tally; `labels` are the file's variable labels, by column. */
export function columnLogs(columns: CompiledColumn[], tally: FileTally, labels: (string | undefined)[] = []): Record<string, ColumnLog> {
  const idIndex = columns.findIndex((c) => c.path.kind === 'respondent' && c.path.field === 'respondent_id');
  const out: Record<string, ColumnLog> = {};
  columns.forEach((col, i) => {
    const variableLabel = labels[i];
    const log: ColumnLog = { variable: col.variable, ...(variableLabel !== undefined ? { label: variableLabel } : {}), recodes: {}, passed_through: {}, dont_know: {}, refused: {}, blank: 0, trimmed: 0, case_folded: 0, quarantined: {} };
    if (i === idIndex) log.blank = tally.idBlanks;
    const sorted = [...tally.cells[i]!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [raw, count] of sorted) {
      const trimmed = raw.trim();
      const label = normaliseLabel(raw);
      if (trimmed === '') {
        log.blank += count;
        continue;
      }
      if (trimmed !== raw) log.trimmed += count;
      if (label !== trimmed) log.case_folded += count;
      const cell = decodeCell(col, raw);
      if (cell.kind === 'unknown') log.quarantined[label] = (log.quarantined[label] ?? 0) + count;
      else if (cell.kind === 'dont_know') log.dont_know[label] = (log.dont_know[label] ?? 0) + count;
      else if (cell.kind === 'refused') log.refused[label] = (log.refused[label] ?? 0) + count;
      else if (!col.lookup.has(label)) log.passed_through[label] = (log.passed_through[label] ?? 0) + count;
      else {
        const r = (log.recodes[label] ??= { code: cell.kind === 'code' ? cell.code : null, count: 0 });
        r.count += count;
      }
    }
    out[col.header] = sortKeys(log);
  });
  return out;
}

function sortKeys(log: ColumnLog): ColumnLog {
  const sort = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...log, recodes: sort(log.recodes), passed_through: sort(log.passed_through), dont_know: sort(log.dont_know), refused: sort(log.refused), quarantined: sort(log.quarantined) };
}

/** What clean records about one export (cleaning-log.json, `files[<export path>]`). */
export interface FileLog {
  wave: number;
  area: string;
  codebook: string;
  synthetic: boolean;
  /** The export's format, from its extension. */
  format: ExportFormat;
  /** The worksheet read, for a workbook. */
  sheet?: string;
  bom_stripped: boolean;
  raw_rows: number;
  records: number;
  quarantined: number;
  /** Columns whose question changed from an earlier wave (from the codebook): flag before comparing waves. */
  changed_questions: { column: string; variable: string; changed_from_wave: number; note: string }[];
  columns: Record<string, ColumnLog>;
}

export interface CleaningLog {
  /** True when any export was read with a codebook marked synthetic: results built on it are not findings. */
  synthetic: boolean;
  files: Record<string, FileLog>;
}

/** A cleaning log clean wrote, checked against schemas/cleaning-log.schema.json. */
export const readCleaningLog = (art: Artifact): CleaningLog => readChecked<CleaningLog>(art, schema);
