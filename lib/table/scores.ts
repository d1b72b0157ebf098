/**
 * The scores table: one row per respondent and theme, as index writes it and correlate and nudge-regress
 * read it, stored as Arrow IPC (flechette). Its columns and types are described in
 * `schemas/scores.table.json` and checked when it is read.
 *
 * Columns, in order: wave (int32), area, theme (dictionary strings), respondent_id (string),
 * then the outcomes raw/study.json declares, in its order (the layout's vocabulary lists them): a share of
 * activity items (float64, 0-100) or an indicator (int8, 0 or 100); nudge (dictionary string: the study's
 * arms), then one int8 column per predictor or predictor/sub-item holding the answer code. Don't know and
 * blank are null everywhere.
 *
 * Rows are grouped by (wave, area, theme) in table order (layout.ts), respondents within a group in the
 * order of the input records. The schema metadata key `coproduction.scores` holds the layout as JSON: per
 * group its first row, its row count, which outcome questions and which predictor columns were asked
 * (a question counts as asked in a group when any record of the group carries its key, even as a blank;
 * that is how records mark "not asked": by leaving the key out).
 */
import { Batch, Column, columnFromArray, dictionary, float64, int32, int8, Table, tableFromColumns, tableFromIPC, tableToIPC, utf8 } from '@uwdata/flechette';
import type { DataType } from '@uwdata/flechette';
import spec from '../../schemas/scores.table.json' with { type: 'json' };
import { DataError } from '../../contract/step.js';
import { arrowTypeName, NUDGE_NAMES } from '../survey/records-table.js';
import type { Nudge } from '../survey/vocabulary.js';
import { compareGroups, groupLabel, type AnalysisVocabulary, type GroupKey } from '../survey/analysis-vocabulary.js';

export const SCORES_FORMAT = 'coproduction-scores/1';
const METADATA_KEY = 'coproduction.scores';

/** An outcome column, as the layout's vocabulary names it. */
export type Outcome = string;

/** Whether an outcome is a share of activity items (float64) rather than a 0/100 indicator (int8). */
export const isShare = (o: { from: string }): boolean => o.from === 'activities';

export interface ScoresGroup extends GroupKey {
  /** First row of the group. */
  start: number;
  rows: number;
  /** Outcome questions asked in the group (individual: any activity item). */
  outcomes: Outcome[];
  /** Whether any respondent of the group carries a nudge assignment. */
  nudge: boolean;
  /** Predictor columns asked in the group, in table order. */
  variables: string[];
}

export interface ScoresLayout {
  format: typeof SCORES_FORMAT;
  /** The index rule's minimum number of answered activity items. */
  min_activity_answers: number;
  groups: ScoresGroup[];
  /** Every predictor column of the table, in table order. */
  variables: string[];
  /** The study's names in table order, as index was given them: what every reader of the table sorts and labels by. */
  vocabulary: AnalysisVocabulary;
}

/** Columns to write, already in group order. Missing values: NaN in floats, -1 in codes. */
export interface ScoresColumns {
  wave: Int32Array;
  /** Index into the layout's vocabulary's areas / themes. */
  area: Uint8Array;
  theme: Uint8Array;
  /** UTF-8 bytes of the IDs and the offset of each row's ID (rows + 1 entries), as an Arrow string column. */
  respondentId: { bytes: Uint8Array; offsets: Int32Array };
  /** Per outcome of the layout's vocabulary: a share (NaN when missing) or an indicator (-1 when missing). */
  outcomes: Map<Outcome, Float64Array | Int8Array>;
  /** The arm's stored code (records-table.ts NUDGE_NAMES), -1 when absent. */
  nudge: Int8Array;
  /** Code per predictor column, -1 when missing. */
  variables: Map<string, Int8Array>;
}

export function writeScores(layout: ScoresLayout, c: ScoresColumns): Uint8Array {
  const n = c.wave.length;
  const columns: [string, Column<any>][] = [
    ['wave', direct(c.wave, int32(), 'none')],
    ['area', labels(c.area, layout.vocabulary.areas)],
    ['theme', labels(c.theme, layout.vocabulary.themes)],
    ['respondent_id', new Column([new Batch<string>({ length: n, nullCount: 0, type: utf8(), validity: new Uint8Array(0), offsets: c.respondentId.offsets, values: c.respondentId.bytes })])],
    ...layout.vocabulary.outcomes.map((o) => [o.name, isShare(o) ? direct(c.outcomes.get(o.name)!, float64(), 'nan') : direct(c.outcomes.get(o.name)!, int8(), 'negative')] as [string, Column<any>]),
    ['nudge', labels(c.nudge, NUDGE_NAMES)],
    ...layout.variables.map((name) => [name, direct(c.variables.get(name)!, int8(), 'negative')] as [string, Column<any>]),
  ];
  for (const [name, col] of columns) {
    if (col.length !== n) throw new RangeError(`scores column "${name}" has ${col.length} rows, expected ${n}`);
  }
  const built = tableFromColumns(columns);
  const table = new Table({ ...built.schema, metadata: new Map([[METADATA_KEY, JSON.stringify(layout)]]) }, built.children);
  return tableToIPC(table, { format: 'file' })!;
}

/**
 * A dictionary-encoded string column from codes into `names` (negative code: null), written directly as
 * one Arrow batch of int8 keys: the builder's per-value path costs seconds at a few million rows, and
 * keys keep the file small.
 */
function labels(codes: Uint8Array | Int8Array, names: readonly string[]): Column<string> {
  const n = codes.length;
  const keys = new Int8Array(n);
  const validity = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const k = codes[i]!;
    if (k < 0) nullCount++;
    else {
      keys[i] = k;
      validity[i >> 3]! |= 1 << (i & 7);
    }
  }
  const values = columnFromArray(names as string[], utf8()) as Column<string>;
  // The encoder matches a dictionary to its column by the identity of the value type object.
  const type = dictionary(values.type, int8());
  const batch = new Batch<string>({ length: n, nullCount, type, validity: nullCount ? validity : new Uint8Array(0), values: keys });
  // What the IPC encoder reads to write the dictionary itself.
  (batch as unknown as { dictionary: Column<string> }).dictionary = values;
  return new Column([batch]);
}

/** A typed array as one Arrow batch (no copy of the values), with a validity bitmap from its missing marks. */
function direct(values: Int32Array | Int8Array | Float64Array, type: DataType, missing: 'none' | 'negative' | 'nan'): Column<number> {
  const n = values.length;
  let nullCount = 0;
  let validity = new Uint8Array(0);
  if (missing !== 'none') {
    validity = new Uint8Array((n + 7) >> 3);
    // Separate loops per marker: a predicate called per value costs seconds at a few million rows.
    if (missing === 'nan') {
      for (let i = 0; i < n; i++) {
        if (values[i] !== values[i]) nullCount++;
        else validity[i >> 3]! |= 1 << (i & 7);
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (values[i]! < 0) nullCount++;
        else validity[i >> 3]! |= 1 << (i & 7);
      }
    }
    if (nullCount === 0) validity = new Uint8Array(0);
  }
  return new Column([new Batch<number>({ length: n, nullCount, type, validity, values })]);
}

/** The scores table as read back: the layout and typed access to row ranges. */
export interface Scores {
  layout: ScoresLayout;
  length: number;
  /** Rows [start, end) of a numeric column as float64, null as NaN. */
  numeric(name: string, start: number, end: number): Float64Array;
  /** Rows [start, end) of the nudge column as strings (null when absent). */
  nudges(start: number, end: number): (Nudge | null)[];
  /** Rows [start, end) of the respondent IDs. */
  ids(start: number, end: number): string[];
}

export function readScores(bytes: Uint8Array, file: string): Scores {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new DataError(`not an Arrow IPC file (${(e as Error).message})`, { file });
  }
  const raw = table.schema.metadata?.get(METADATA_KEY);
  if (raw === undefined) throw new DataError(`Arrow table has no "${METADATA_KEY}" metadata: it was not written by the index step`, { file });
  let layout: ScoresLayout;
  try {
    layout = JSON.parse(raw) as ScoresLayout;
  } catch (e) {
    throw new DataError(`"${METADATA_KEY}" metadata is not JSON (${(e as Error).message})`, { file });
  }
  if (layout?.format !== SCORES_FORMAT) {
    throw new DataError(`scores table format is "${layout?.format}", expected "${SCORES_FORMAT}"`, { file, value: layout?.format });
  }
  checkColumns(table, layout, file);
  const length = table.numRows;
  const child = (name: string): Column<any> => {
    const col = table.getChild(name);
    if (!col) throw new DataError(`scores table has no column "${name}"`, { file, column: name });
    return col;
  };
  for (const g of layout.groups) checkGroup(g, child, length, file);

  return {
    layout,
    length,
    numeric(name, start, end) {
      const col = child(name);
      const out = new Float64Array(end - start);
      let offset = 0; // first row of the current batch
      for (const batch of col.data) {
        const from = Math.max(start, offset);
        const to = Math.min(end, offset + batch.length);
        const values = batch.values as ArrayLike<number>;
        const validity = batch.validity as Uint8Array;
        const nulls = batch.nullCount > 0;
        for (let i = from; i < to; i++) {
          const j = i - offset;
          out[i - start] = nulls && !((validity[j >> 3]! >> (j & 7)) & 1) ? NaN : values[j]!;
        }
        offset += batch.length;
        if (offset >= end) break;
      }
      return out;
    },
    nudges(start, end) {
      const col = child('nudge');
      const out: (Nudge | null)[] = [];
      for (let i = start; i < end; i++) out.push(col.at(i) as Nudge | null);
      return out;
    },
    ids(start, end) {
      const col = child('respondent_id');
      return Array.from({ length: end - start }, (_, i) => col.at(start + i) as string);
    },
  };
}

/** The columns and types schemas/scores.table.json describes, the predictor columns the layout names. */
function checkColumns(table: Table, layout: ScoresLayout, file: string): void {
  const fields = table.schema.fields;
  // The fixed columns with the layout's outcomes in the place the spec marks for them.
  const expected = spec.columns.flatMap((c) =>
    'outcomes' in c ? layout.vocabulary.outcomes.map((o) => ({ name: o.name, type: isShare(o) ? spec.outcomes.share.type : spec.outcomes.indicator.type })) : [{ name: c.name!, type: c.type! }],
  );
  expected.forEach((c, i) => {
    const f = fields[i];
    if (f?.name !== c.name || arrowTypeName(f.type) !== c.type) {
      throw new DataError(`scores table column ${i + 1} must be "${c.name}" (${c.type}) as schemas/scores.table.json and the layout say`, { file, column: f?.name, value: f && arrowTypeName(f.type) });
    }
  });
  const variables = fields.slice(expected.length);
  variables.forEach((f, i) => {
    if (f.name !== layout.variables[i] || arrowTypeName(f.type) !== spec.variables.type) {
      throw new DataError(`scores table column must be the predictor "${layout.variables[i]}" (${spec.variables.type}) its layout names`, { file, column: f.name, value: arrowTypeName(f.type) });
    }
  });
  if (variables.length !== layout.variables.length) throw new DataError('scores table lacks predictor columns its layout names', { file, value: layout.variables.slice(variables.length) });
}

/** A group's first and last rows must carry its key: otherwise the layout does not describe this table. */
function checkGroup(g: ScoresGroup, child: (name: string) => Column<any>, length: number, file: string): void {
  if (g.rows === 0) return;
  const last = g.start + g.rows - 1;
  const ok =
    g.start >= 0 &&
    last < length &&
    [g.start, last].every((i) => child('wave').at(i) === g.wave && child('area').at(i) === g.area && child('theme').at(i) === g.theme);
  if (!ok) throw new DataError(`scores layout says rows ${g.start}..${last} are ${groupLabel(g)}, but the table disagrees`, { file, value: g });
}

/** Groups in table order (the layout lists them so already; sorting again keeps the CSVs right regardless). */
export function orderedGroups(layout: ScoresLayout): ScoresGroup[] {
  return [...layout.groups].sort(compareGroups(layout.vocabulary));
}
