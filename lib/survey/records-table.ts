/**
 * The respondent records table between clean, validate and index: one row per respondent and wave, one
 * int32 column of codes per canonical variable, every kind of missing answer a code of its own. Its
 * columns, types and codes are described once, in `schemas/records.table.json`, and checked here when a
 * table is read. Stored as Arrow IPC, so any Arrow reader can open it.
 */
import { columnFromArray, dictionary, int32, tableFromColumns, tableFromIPC, tableToIPC, Table, Type, utf8, type Column } from '@uwdata/flechette';
import spec from '../../schemas/records.table.json' with { type: 'json' };
import { DataError } from '../../contract/step.js';
import { parseVariable } from './codebook.js';
import type { CanonicalRecord } from './record.js';
import { themeFields, type Study } from './study.js';
import { DONT_KNOW, ITEM_ID_PATTERN, type Nudge } from './vocabulary.js';

export const RECORDS_FORMAT = spec.format;

/** Codes of the kinds of missing answer, as schemas/records.table.json defines them. */
export const DONT_KNOW_CODE = spec.missing_codes.dont_know.code;
export const REFUSED_CODE = spec.missing_codes.refused.code;
export const BLANK_CODE = spec.missing_codes.blank.code;
export const NOT_ASKED_CODE = spec.missing_codes.not_asked.code;

/** A records table in memory: the fixed columns, then the variables' codes in column order. */
export interface RecordsTable {
  rows: number;
  wave: Int32Array;
  area: string[];
  respondentId: (string | null)[];
  sourceFile: string[];
  sourceLine: Int32Array;
  variables: Map<string, Int32Array>;
}

/** The code a nudge group is stored as (schemas/records.table.json), and back. */
export const nudgeCode = (n: Nudge): number => (spec.variables.nudge_codes as Record<string, number>)[n]!;
/** The arms' names by their stored code (code 0 at 0), as schemas/records.table.json lists them. */
export const NUDGE_NAMES: readonly string[] = Object.entries(spec.variables.nudge_codes as Record<string, number>)
  .sort((a, b) => a[1] - b[1])
  .map(([name]) => name);
export const nudgeOf = (code: number): Nudge | undefined => Object.entries(spec.variables.nudge_codes as Record<string, number>).find(([, c]) => c === code)?.[0] as Nudge | undefined;

export function writeRecords(t: RecordsTable): Uint8Array {
  const columns: Record<string, Column<any>> = {
    wave: intColumn(t.wave),
    area: columnFromArray(t.area, dictionary(utf8(), int32())),
    respondent_id: columnFromArray(t.respondentId, utf8()),
    source_file: columnFromArray(t.sourceFile, dictionary(utf8(), int32())),
    source_line: intColumn(t.sourceLine),
  };
  for (const [name, codes] of t.variables) columns[name] = intColumn(codes);
  const built = tableFromColumns(columns);
  const table = new Table({ ...built.schema, metadata: new Map([[spec.metadata_key, JSON.stringify({ format: RECORDS_FORMAT })]]) }, built.children);
  return tableToIPC(table, { format: 'file' })!;
}

/** An int32 column over the array itself (flechette takes a typed array as it is; an empty one needs its type named). */
const intColumn = (a: Int32Array): Column<number> => (a.length ? columnFromArray(a) : columnFromArray(a, int32()));

/** Reads a records table, checking it against schemas/records.table.json: a DataError naming the file otherwise. */
export function readRecords(bytes: Uint8Array, file: string): RecordsTable {
  const table = recordsArrow(bytes, file);
  const variables = new Map<string, Int32Array>();
  for (const f of table.schema.fields.slice(spec.columns.length)) variables.set(f.name, table.getChild(f.name)!.toArray() as Int32Array);
  const strings = (name: string) => Array.from(table.getChild(name)!.toArray() as ArrayLike<string | null>);
  return {
    rows: table.numRows,
    wave: table.getChild('wave')!.toArray() as Int32Array,
    area: strings('area') as string[],
    respondentId: strings('respondent_id'),
    sourceFile: strings('source_file') as string[],
    sourceLine: table.getChild('source_line')!.toArray() as Int32Array,
    variables,
  };
}

/**
 * A records table as the Arrow table it is stored as (for arquero's `fromArrow`), checked against
 * schemas/records.table.json: a DataError naming the file otherwise.
 */
export function recordsArrow(bytes: Uint8Array, file: string): Table {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new DataError(`not an Arrow IPC file (${(e as Error).message})`, { file });
  }
  const meta = table.schema.metadata?.get(spec.metadata_key);
  let format: string | undefined;
  try {
    format = meta === undefined ? undefined : (JSON.parse(meta) as { format?: string }).format;
  } catch {
    format = undefined;
  }
  if (format !== RECORDS_FORMAT) throw new DataError(`records table format is "${format}", expected "${RECORDS_FORMAT}" (schemas/records.table.json)`, { file, value: format });
  const fields = table.schema.fields;
  spec.columns.forEach((c, i) => {
    const f = fields[i];
    if (f?.name !== c.name || arrowTypeName(f.type) !== c.type) {
      throw new DataError(`records table column ${i + 1} must be "${c.name}" (${c.type}) as schemas/records.table.json says`, { file, column: f?.name, value: f && arrowTypeName(f.type) });
    }
    if (!c.nullable && table.getChild(c.name)!.nullCount > 0) throw new DataError(`records table column "${c.name}" holds nulls`, { file, column: c.name });
  });
  for (const f of fields.slice(spec.columns.length)) {
    if (!isVariableName(f.name)) throw new DataError('records table column is not a canonical variable name (schemas/records.table.json)', { file, column: f.name });
    if (arrowTypeName(f.type) !== spec.variables.type) throw new DataError(`records table column must be ${spec.variables.type}`, { file, column: f.name, value: arrowTypeName(f.type) });
    const col = table.getChild(f.name)!;
    if (col.nullCount > 0) throw new DataError('records table column holds nulls: missing answers are codes', { file, column: f.name });
  }
  return table;
}

/** An Arrow type as the table schemas in schemas/ name it: int32, utf8, dictionary<utf8>, float64. */
export function arrowTypeName(type: { typeId: number; bitWidth?: number; signed?: boolean; precision?: number; dictionary?: { typeId: number } }): string {
  if (type.typeId === Type.Dictionary) return `dictionary<${arrowTypeName(type.dictionary as { typeId: number })}>`;
  if (type.typeId === Type.Int) return `${type.signed ? 'int' : 'uint'}${type.bitWidth}`;
  if (type.typeId === Type.Utf8) return 'utf8';
  // Arrow's float precisions: 0 half, 1 single, 2 double.
  if (type.typeId === Type.Float) return ['float16', 'float32', 'float64'][type.precision!] ?? 'float';
  return `type ${type.typeId}`;
}

/**
 * Whether a column name has the form of a canonical variable: a respondent field, `<theme>/activities/<item>`,
 * `<theme>/<field>` or `<theme>/<field>/<sub-item>`. Which names a study has is validate's check.
 */
function isVariableName(name: string): boolean {
  const path = parseVariable(name);
  if (path.kind === 'respondent') return ITEM_ID_PATTERN.test(path.field) && path.field !== 'respondent_id';
  if ((path.theme as string) === '') return false;
  if (path.kind === 'activity') return ITEM_ID_PATTERN.test(path.item) && name.split('/').length === 3;
  return ITEM_ID_PATTERN.test(path.field) && (path.sub as string | undefined) !== '';
}

/** The rows at `keep` (ascending), as a table of their own with the same columns. */
export function selectRows(t: RecordsTable, keep: readonly number[]): RecordsTable {
  const ints = (a: Int32Array) => {
    const out = new Int32Array(keep.length);
    for (let k = 0; k < keep.length; k++) out[k] = a[keep[k]!]!;
    return out;
  };
  return {
    rows: keep.length,
    wave: ints(t.wave),
    area: keep.map((i) => t.area[i]!),
    respondentId: keep.map((i) => t.respondentId[i]!),
    sourceFile: keep.map((i) => t.sourceFile[i]!),
    sourceLine: ints(t.sourceLine),
    variables: new Map([...t.variables].map(([name, codes]) => [name, ints(codes)])),
  };
}

/**
 * Row `i` as the nested canonical record (lib/survey/record.ts), the shape the record schema
 * (record-schema.ts) describes and rejected.ndjson shows: a code as a number (a nudge as its group), don't know as
 * "dont_know", a blank as null, a question not asked left out.
 */
export function recordOf(t: RecordsTable, i: number): CanonicalRecord {
  const record: Record<string, unknown> = {
    wave: t.wave[i],
    area: t.area[i],
    respondent_id: t.respondentId[i],
    source: { file: t.sourceFile[i], line: t.sourceLine[i] },
  };
  const themes: Record<string, Record<string, unknown>> = {};
  for (const { path, codes } of columnPaths(t)) {
    const code = codes[i]!;
    if (code === NOT_ASKED_CODE) continue;
    const value = code === DONT_KNOW_CODE ? DONT_KNOW : code === BLANK_CODE || code === REFUSED_CODE ? null : path.kind === 'respondent' && path.field === 'nudge' ? (nudgeOf(code) ?? code) : code;
    if (path.kind === 'respondent') record[path.field] = value;
    else {
      const theme = (themes[path.theme] ??= {});
      if (path.kind === 'activity') ((theme.activities ??= {}) as Record<string, unknown>)[path.item] = value;
      else if (path.sub === undefined) theme[path.field] = value;
      else ((theme[path.field] ??= {}) as Record<string, unknown>)[path.sub] = value;
    }
  }
  // The columns are in canonical order, themes in the study's: the record's themes follow them.
  record.themes = themes;
  return record as unknown as CanonicalRecord;
}

// Each variable's place in the record, worked out once per table rather than once per row.
const paths = new WeakMap<RecordsTable, { path: ReturnType<typeof parseVariable>; codes: Int32Array }[]>();
function columnPaths(t: RecordsTable) {
  let list = paths.get(t);
  if (!list) paths.set(t, (list = [...t.variables].map(([name, codes]) => ({ path: parseVariable(name), codes }))));
  return list;
}

/**
 * Variable names in the table's column order: respondent fields (the study's demographics, then the nudge
 * group), then themes in the study's order, each with its activities in the order given, then its fields
 * (group item, time items, predictors) with sub-items in the study's order.
 */
export function canonicalVariables(names: readonly string[], study: Study): string[] {
  const respondent = [...study.demographics.map((d) => d.name), 'nudge'];
  const fields = themeFields(study);
  const subItems = study.subItems.map((i) => i.name);
  const rank = (name: string): number[] => {
    const p = parseVariable(name);
    if (p.kind === 'respondent') return [0, respondent.indexOf(p.field)];
    // Activities keep the order given: the sort is stable.
    if (p.kind === 'activity') return [1, study.themes.indexOf(p.theme), 0];
    return [1, study.themes.indexOf(p.theme), 1 + fields.indexOf(p.field), p.sub === undefined ? -1 : subItems.indexOf(p.sub)];
  };
  const ranked = names.map((name) => ({ name, rank: rank(name) }));
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? -1) !== (b[i] ?? -1)) return (a[i] ?? -1) - (b[i] ?? -1);
    return 0;
  };
  return ranked.sort((a, b) => compare(a.rank, b.rank)).map((v) => v.name);
}

/** Nested canonical records as a table: the inverse of `recordOf` (tests and benchmarks write records this way). */
export function tableOfRecords(records: readonly CanonicalRecord[], study: Study): RecordsTable {
  const respondent = [...study.demographics.map((d) => d.name), 'nudge'];
  const values = records.map((r) => {
    const flat = new Map<string, unknown>();
    for (const f of respondent) if ((r as unknown as Record<string, unknown>)[f] !== undefined) flat.set(f, (r as unknown as Record<string, unknown>)[f]);
    for (const [theme, t] of Object.entries(r.themes ?? {})) {
      for (const [field, v] of Object.entries(t ?? {})) {
        if (field === 'activities') for (const [item, a] of Object.entries(v as object)) flat.set(`${theme}/activities/${item}`, a);
        else if (v !== null && typeof v === 'object') for (const [sub, a] of Object.entries(v)) flat.set(`${theme}/${field}/${sub}`, a);
        else flat.set(`${theme}/${field}`, v);
      }
    }
    return flat;
  });
  const names = canonicalVariables([...new Set(values.flatMap((v) => [...v.keys()]))], study);
  const code = (v: unknown): number =>
    v === undefined ? NOT_ASKED_CODE : v === null ? BLANK_CODE : v === DONT_KNOW ? DONT_KNOW_CODE : typeof v === 'string' ? nudgeCode(v as Nudge) : (v as number);
  return {
    rows: records.length,
    wave: Int32Array.from(records, (r) => r.wave),
    area: records.map((r) => r.area),
    respondentId: records.map((r) => r.respondent_id),
    sourceFile: records.map((r) => r.source.file),
    sourceLine: Int32Array.from(records, (r) => r.source.line),
    variables: new Map(names.map((name) => [name, Int32Array.from(values, (v) => code(v.get(name)))])),
  };
}
