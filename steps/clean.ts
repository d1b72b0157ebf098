/**
 * clean: council exports + codebooks → the records table.
 *
 *   raw/<wave>/<slug>.<csv|sav|zsav|xlsx> ─┐
 *                                          ├─ check codebooks (schema, rules) ─ pair export ↔ codebook
 *   raw/codebooks/*.json ──────────────────┘   ─ read header and rows (CSV here; SPSS, Excel: survey/readers/)
 *                                              ─ check header ─ decode each row as it is read (decodeCell once
 *                                                per distinct cell of a column: trim, case-fold, don't know,
 *                                                refused, blank, code) into the table's int32 columns
 *                                              ─ records.arrow | quarantine.ndjson | cleaning-log.json
 *
 * The business rule is the codebook's: `decodeCell` (survey/codebook.ts) turns one raw cell into a code, a
 * don't-know, a refusal, a blank or an unknown label. Everything else here is bookkeeping around it. Every
 * format reaches it as label text: an SPSS code as its value label (user-missing codes too, so the codebook
 * says what "Refused" or "Don't know" is), system-missing and empty cells as blanks.
 *
 * Records come out in wave, area, source-line order, one row of schemas/records.table.json per raw row.
 * A row's place is its CSV line, SPSS case number or sheet row (`source.line`, and in messages "line 12",
 * "case 12", "row 12 of sheet …"). A label a codebook does not know either stops the step (DataError naming
 * file, place, column, value) or, where the codebook says "quarantine", sends the row to quarantine.ndjson
 * with that reason. Range checks are validate's job: numeric pass-through codes are copied as they are.
 *
 * CSV exports are read by d3-dsv, the fastest of the parsers measured on these exports (csv-parse, d3-dsv,
 * papaparse), after survey/export-text.ts has turned the bytes into text or said what the file really is
 * (UTF-16, Windows-1252, a workbook). d3-dsv hands each row over as it parses it, and no row is kept once
 * decoded, so memory grows with the records table, not with the export's rows of text; the text is let go
 * once parsed. Empty lines are skipped; any line ending is accepted. Rows with another
 * number of cells than the header and unknown labels in "error" columns are collected, and the file's
 * problems reported together (the first REPORTED_PROBLEMS, then a count); an unclosed quote is named on the
 * line it opens; an export with no respondents is a DataError.
 *
 * Inputs: `exports` (raw/<wave>/*.{csv,sav,zsav,xlsx}), `codebooks` (raw/codebooks/*.json), `study` (raw/study.json: the
 * areas, the variables each asks and their scales, which every codebook is checked against), optionally
 * `codebookSchema` (schemas/codebook.schema.json; the bundled copy is used when it is not declared).
 * Params: none (`{}`).
 */
import { DataError, type Artifact, type StepInputs, type StepOutputs } from '../contract/step.js';
import { codebookFileName, decodeCell, loadCodebook, type CellResult, type CompiledCodebook, type CompiledColumn } from '../lib/survey/codebook.js';
import { codebookIndex, exportFormat, exportRef, type ExportRef } from '../lib/survey/exports.js';
import { EXPORT_EXTENSIONS } from '../lib/survey/readers/index.js';
import { columnLogs, headerColumns, type CleaningLog, type FileLog, type FileTally } from '../lib/survey/cleaning-log.js';
import type { QuarantineEntry } from '../lib/survey/record.js';
import { BLANK_CODE, canonicalVariables, DONT_KNOW_CODE, NOT_ASKED_CODE, REFUSED_CODE, nudgeCode, writeRecords, type RecordsTable } from '../lib/survey/records-table.js';
import { slugOf, studyInput, type Study } from '../lib/survey/study.js';
import type { Nudge } from '../lib/survey/vocabulary.js';
import { csvRows, fileRows, problemsError, type Problem, type RowSink } from './clean/export-rows.js';

/** clean takes no parameters; the codebooks carry every choice. */
export type CleanParams = Record<string, never>;


/** The code a decoded cell is stored as (records.table.json); undefined for a label the codebook does not know. */
function codeOf(cell: CellResult): number | undefined {
  if (cell.kind === 'blank') return BLANK_CODE;
  if (cell.kind === 'dont_know') return DONT_KNOW_CODE;
  if (cell.kind === 'refused') return REFUSED_CODE;
  if (cell.kind === 'unknown') return undefined;
  return typeof cell.code === 'string' ? nudgeCode(cell.code as Nudge) : cell.code;
}

export default async function clean(inputs: StepInputs, _params: CleanParams = {}): Promise<StepOutputs> {
  // The codebook schema may be declared as an input (so a change to it reruns clean); otherwise the bundled copy.
  const schema = inputs.codebookSchema?.[0];
  const study = studyInput(inputs);
  const codebookFor = codebookIndex((inputs.codebooks ?? []).map((b) => loadCodebook(b, study, schema)), study);
  const seen = new Map<string, string>();
  const exportsInOrder = (inputs.exports ?? [])
    .map((art) => {
      const ref = exportRef(art.path, study);
      const key = `${ref.wave}|${ref.area}`;
      const other = seen.get(key);
      if (other) throw new DataError(`two exports for ${ref.area} in wave ${ref.wave} (also ${other}); one export per panel and wave`, { file: art.path });
      seen.set(key, art.path);
      return { ref, art };
    })
    // Wave first, then area: the order records come out in.
    .sort((a, b) => a.ref.wave - b.ref.wave || (a.ref.area < b.ref.area ? -1 : a.ref.area > b.ref.area ? 1 : 0));

  const cleaned: CleanedExport[] = [];
  for (const { ref, art } of exportsInOrder) cleaned.push(await cleanExport(ref, art, codebookFor(ref), study));
  const log: CleaningLog = { synthetic: cleaned.some((c) => c.log.synthetic), files: {} };
  for (const c of cleaned) log.files[c.log.file] = c.log.entry;
  const table = joinTables(cleaned.map((c) => c.table), study);
  const quarantine = cleaned.flatMap((c) => c.quarantine);
  return {
    'records.arrow': { content: writeRecords(table), rows: table.rows },
    'quarantine.ndjson': { content: quarantine.map((q) => JSON.stringify(q) + '\n').join(''), rows: quarantine.length },
    'cleaning-log.json': JSON.stringify(log, null, 2) + '\n',
  };
}

interface CleanedExport {
  table: RecordsTable;
  quarantine: QuarantineEntry[];
  log: { file: string; synthetic: boolean; entry: FileLog };
}

/**
 * A predictor the study says an area asks from a later wave on (`from_wave`) cannot be in an earlier
 * wave's export: its answers there would be taken for the question the study describes.
 */
function askedByWave(columns: readonly CompiledColumn[], ref: ExportRef, book: CompiledCodebook, study: Study): void {
  const design = study.design.find((d) => d.area === ref.area);
  for (const c of columns) {
    if (c.path.kind !== 'field') continue;
    const from = design?.themes.find((t) => t.theme === (c.path as { theme: string }).theme)?.fromWave[c.path.field];
    if (from === undefined || from <= ref.wave) continue;
    throw new DataError(
      `column maps "${c.variable}", which the study (${study.file}) says ${ref.area} asks from wave ${from} on, but this is the wave ${ref.wave} export, read with codebook ${book.file}: remove the column from this export and map it in a codebook version for wave ${from} (${codebookFileName(slugOf(study, ref.area)!, from)}), or set its "from_wave" in the study to ${ref.wave}`,
      { file: ref.file, column: c.header, value: c.variable },
    );
  }
}

/** One export through its codebook: its records table, its quarantined rows and its part of the log. */
async function cleanExport(ref: ExportRef, art: Artifact, book: CompiledCodebook, study: Study): Promise<CleanedExport> {
  const format = exportFormat(ref.file);
  if (!format) throw new DataError(`an export must be one of ${EXPORT_EXTENSIONS.map((e) => `.${e}`).join(', ')}`, { file: ref.file });
  // Row problems of a CSV (cells beyond the header, too few cells) are collected with the unknown labels.
  const problems: Problem[] = [];
  const src = format === 'csv' ? csvRows(ref, art, book, problems) : await fileRows(ref, art, book, format);
  let decoder: RowDecoder | undefined;
  let labels: (string | undefined)[] = [];
  await src.read((header) => {
    labels = header.labels;
    const columns = headerColumns(header.names, ref, book, header.line);
    // A question the study asks only from a later wave must not come in an earlier wave's export.
    askedByWave(columns, ref, book, study);
    decoder = rowDecoder(ref, book, columns, study, problems);
    return decoder.add;
  });
  const { columns, rawRows, tally, table, quarantine } = decoder!.finish();

  if (problems.length) throw problemsError(ref, src, problems);
  if (rawRows === 0) throw src.noRows();

  const entry: FileLog = {
    wave: ref.wave,
    area: ref.area,
    codebook: book.file,
    synthetic: book.synthetic,
    format,
    ...(src.sheet !== undefined ? { sheet: src.sheet } : {}),
    bom_stripped: src.bom,
    raw_rows: rawRows,
    records: table.rows,
    quarantined: quarantine.length,
    changed_questions: [...book.columns.values()]
      .filter((c) => c.change)
      .map((c) => ({ column: c.header, variable: c.variable, changed_from_wave: c.change!.fromWave, note: c.change!.note })),
    columns: columnLogs(columns, tally, labels),
  };
  return { table, quarantine, log: { file: ref.file, synthetic: book.synthetic, entry } };
}

/** A distinct raw cell of one column: its code in the table, and how often it occurs. */
interface SeenCell {
  /** undefined for a label the codebook does not know. */
  code: number | undefined;
  count: number;
}

interface RowDecoder {
  add: RowSink;
  /** The export's records table, quarantine and tally, once every row has been added. */
  finish(): { columns: CompiledColumn[]; rawRows: number; tally: FileTally; table: RecordsTable; quarantine: QuarantineEntry[] };
}

/**
 * Decodes an export's rows as they are read, whatever the format, writing each record's codes straight
 * into the table's int32 columns. A column's distinct raw cells are decoded once and counted (the
 * counts are all the log needs); unknown labels go to `problems` or to quarantine, as the codebook says.
 */
function rowDecoder(ref: ExportRef, book: CompiledCodebook, columns: CompiledColumn[], study: Study, problems: Problem[]): RowDecoder {
  const idAt = columns.findIndex((c) => c.path.kind === 'respondent' && c.path.field === 'respondent_id');
  const order = canonicalOrder(columns, study);
  const seen = columns.map(() => new Map<string, SeenCell>());
  // The current row's cells as decoded, reused from row to row.
  const row: (SeenCell | undefined)[] = columns.map(() => undefined);
  const codes = order.map(() => new Int32Column());
  const lines = new Int32Column();
  const ids: (string | null)[] = [];
  const quarantine: QuarantineEntry[] = [];
  let rawRows = 0;
  let idBlanks = 0;

  const add: RowSink = (start, cells) => {
    rawRows++;
    const id = cells[idAt]!.trim();
    if (id === '') idBlanks++;
    let unknown = -1;
    let unknowns = 0;
    let stops = 0;
    for (let i = 0; i < cells.length; i++) {
      if (i === idAt) continue;
      const raw = cells[i]!;
      let cell = seen[i]!.get(raw);
      if (!cell) seen[i]!.set(raw, (cell = { code: codeOf(decodeCell(columns[i]!, raw)), count: 0 }));
      cell.count++;
      row[i] = cell;
      if (cell.code === undefined) {
        if (unknowns++ === 0) unknown = i;
        if (columns[i]!.onUnknown === 'error') stops++;
      }
    }
    if (stops) {
      for (let i = 0; i < cells.length; i++)
        if (i !== idAt && row[i]!.code === undefined && columns[i]!.onUnknown === 'error') problems.push({ at: start, column: columns[i]!.header, value: cells[i], reason: unknownReason(columns[i]!, book) });
      return;
    }
    if (unknowns) {
      quarantine.push({
        wave: ref.wave,
        area: ref.area,
        respondent_id: id === '' ? null : id,
        source: { file: ref.file, line: start },
        reason: `label not in codebook ${book.file}` + (unknowns > 1 ? ` (and ${unknowns - 1} more cells in this row)` : ''),
        column: columns[unknown]!.header,
        value: cells[unknown]!,
      });
      return;
    }
    ids.push(id === '' ? null : id);
    lines.push(start);
    for (let k = 0; k < order.length; k++) codes[k]!.push(row[order[k]!]!.code!);
  };

  const finish = () => {
    const n = ids.length;
    const table: RecordsTable = {
      rows: n,
      wave: new Int32Array(n).fill(ref.wave),
      area: new Array<string>(n).fill(ref.area),
      respondentId: ids,
      sourceFile: new Array<string>(n).fill(ref.file),
      sourceLine: lines.done(),
      variables: new Map(order.map((at, k) => [columns[at]!.variable, codes[k]!.done()])),
    };
    const tally: FileTally = { idBlanks, cells: seen.map((cells) => new Map([...cells].map(([raw, c]) => [raw, c.count]))) };
    return { columns, rawRows, tally, table, quarantine };
  };
  return { add, finish };
}

/** An int32 column that grows as rows are added, so codes never sit in an array of numbers first. */
class Int32Column {
  private data = new Int32Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The column as long as its rows: a view, so its codes are not copied once more before they are written. */
  done(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Why an unknown cell stops the run; a numeric column says it wanted a code. */
function unknownReason(col: CompiledColumn, book: CompiledCodebook): string {
  return col.numeric
    ? `not a whole-number code, nor a label in codebook ${book.file} (add it under "labels", or set "on_unknown": "quarantine")`
    : `label not in codebook ${book.file} (add it under "labels", or set "on_unknown": "quarantine")`;
}

/** The header's variable columns (indices) in the table's column order. */
function canonicalOrder(columns: CompiledColumn[], study: Study): number[] {
  const at = new Map(columns.map((c, i) => [c.variable, i]));
  return canonicalVariables(columns.filter((c) => !(c.path.kind === 'respondent' && c.path.field === 'respondent_id')).map((c) => c.variable), study).map((v) => at.get(v)!);
}

/**
 * Several exports' tables as one, rows in the given order: the union of their variables, each export's
 * rows "not asked" in the variables its codebook does not map.
 */
function joinTables(tables: RecordsTable[], study: Study): RecordsTable {
  // One export (each clean branch of the pipeline) is its own table: its variables are already in canonical order.
  if (tables.length === 1) return tables[0]!;
  const names = canonicalVariables([...new Set(tables.flatMap((t) => [...t.variables.keys()]))], study);
  const rows = tables.reduce((s, t) => s + t.rows, 0);
  const ints = (part: (t: RecordsTable) => Int32Array | undefined) => {
    const out = new Int32Array(rows);
    let at = 0;
    for (const t of tables) {
      const codes = part(t);
      if (codes) out.set(codes, at);
      else out.fill(NOT_ASKED_CODE, at, at + t.rows);
      at += t.rows;
    }
    return out;
  };
  return {
    rows,
    wave: ints((t) => t.wave),
    area: tables.flatMap((t) => t.area),
    respondentId: tables.flatMap((t) => t.respondentId),
    sourceFile: tables.flatMap((t) => t.sourceFile),
    sourceLine: ints((t) => t.sourceLine),
    variables: new Map(names.map((name) => [name, ints((t) => t.variables.get(name))])),
  };
}
