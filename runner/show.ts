/**
 * `show <artifact>`: any table an entry holds (Arrow IPC, CSV, NDJSON or JSON) as an aligned text
 * table or as CSV, addressed as `explain` addresses artifacts, so that a reviewer can read what travels
 * between steps without another tool. Knows file formats only, never what a column means.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { tableFromIPC, Type } from '@uwdata/flechette';
import { PipelineError } from './errors.js';
import { locate } from './explain.js';
import type { Project } from './project.js';

export type Cell = string | number | boolean | null;

export interface ShownTable {
  /** As located: `<step>:<file>` for an entry's file, or the path given. */
  artifact: string;
  /** The file read, relative to the project. */
  file: string;
  format: 'arrow' | 'csv' | 'ndjson' | 'json';
  /** Column names with their type: Arrow's (`int32`, `dictionary<utf8>` ...) or `text`/`json` for text formats. */
  columns: { name: string; type: string }[];
  rowCount: number;
  /** The first rows (all with no limit), one array of cells per row, in column order. */
  rows: Cell[][];
}

/** Every file `target` names (a fanned-out step's file is one per branch), read as a table. */
export function showArtifact(project: Project, target: string, limit: number | undefined): ShownTable[] {
  return filesOf(project, target).map(({ artifact, path }) => readTable(artifact, path, relative(project.root, path).split(sep).join('/'), limit));
}

function filesOf(project: Project, target: string): { artifact: string; path: string }[] {
  // A project file that is not an entry's (raw/…) is shown as it is.
  const rel = relative(project.root, resolve(project.root, target)).split(sep).join('/');
  if (!rel.startsWith('..') && !rel.startsWith('derived/') && !target.includes(':') && existsSync(join(project.root, rel)) && !isPublished(project, rel))
    return [{ artifact: rel, path: join(project.root, rel) }];
  return locate(project, target).flatMap(({ step, key, files, published }) => {
    if (!files) throw new PipelineError(`"${target}" names a step, not a file`, `Name one of its files, e.g. ${step}:<file> (explain ${target} lists them).`);
    const manifest = project.cache.readManifest(step, key);
    const wrote = manifest && typeof manifest !== 'string' ? manifest.outputs.map((o) => o.name) : [];
    return files.map((file) => {
      if (!wrote.includes(file)) throw new PipelineError(`step "${step}" wrote no file "${file}"`, `It wrote: ${wrote.join(', ') || 'nothing readable (run the pipeline)'}.`);
      return published ? { artifact: published, path: join(project.root, published) } : { artifact: `${step}:${file}`, path: join(project.cache.entryDir(step, key), file) };
    });
  });
}

const isPublished = (project: Project, rel: string) => project.pipeline.steps.some((s) => s.publish && rel.startsWith(`${s.publish.replace(/\/$/, '')}/`));

export function readTable(artifact: string, path: string, file: string, limit?: number): ShownTable {
  if (!existsSync(path)) throw new PipelineError(`${file} does not exist`, 'Run the pipeline, then ask again.');
  const bytes = readFileSync(path);
  const format = formatOf(file);
  const take = (n: number) => (limit === undefined ? n : Math.min(limit, n));
  if (format === 'arrow') {
    let table;
    try {
      table = tableFromIPC(bytes);
    } catch (error) {
      throw new PipelineError(`${file} is not an Arrow IPC file (${(error as Error).message})`);
    }
    const columns = table.schema.fields.map((f) => ({ name: f.name, type: typeName(f.type) }));
    const arrays = columns.map((_, i) => table.getChildAt(i)!);
    const rows: Cell[][] = [];
    for (let r = 0; r < take(table.numRows); r++) rows.push(arrays.map((c) => cell(c.at(r))));
    return { artifact, file, format, columns, rowCount: table.numRows, rows };
  }
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\ufeff/, '');
  if (format === 'csv') {
    const [header = [], ...body] = csvParseRows(text);
    if (body.length && body[body.length - 1]!.length === 1 && body[body.length - 1]![0] === '') body.pop();
    return { artifact, file, format, columns: header.map((name) => ({ name, type: 'text' })), rowCount: body.length, rows: body.slice(0, take(body.length)) };
  }
  let records: unknown[];
  try {
    records = format === 'ndjson' ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) : [JSON.parse(text)].flat();
  } catch (error) {
    throw new PipelineError(`${file} is not valid ${format === 'ndjson' ? 'NDJSON' : 'JSON'} (${(error as Error).message})`);
  }
  if (!records.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r)))
    throw new PipelineError(`${file} is not a table: show reads a JSON object, an array of objects, or NDJSON of objects`, `explain ${artifact} tells where it came from.`);
  // Columns in order of first appearance; a nested value is shown as its JSON.
  const names = [...new Set(records.flatMap((r) => Object.keys(r as object)))];
  const rows = (records as Record<string, unknown>[]).slice(0, take(records.length)).map((r) => names.map((n) => jsonCell(r[n])));
  return { artifact, file, format, columns: names.map((name) => ({ name, type: 'json' })), rowCount: records.length, rows };
}

function formatOf(file: string): ShownTable['format'] {
  const ext = extname(file).toLowerCase();
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc') return 'arrow';
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.json') return 'json';
  throw new PipelineError(`cannot show ${file}: not a table format`, 'show reads .arrow, .csv, .ndjson and .json files.');
}

const TYPE_NAMES: Record<number, string> = { [Type.Null]: 'null', [Type.Utf8]: 'utf8', [Type.LargeUtf8]: 'utf8', [Type.Bool]: 'bool', [Type.Binary]: 'binary', [Type.Date]: 'date', [Type.Timestamp]: 'timestamp' };

function typeName(type: any): string {
  if (type.typeId === Type.Dictionary) return `dictionary<${typeName(type.dictionary)}>`;
  if (type.typeId === Type.Int) return `${type.signed ? 'int' : 'uint'}${type.bitWidth}`;
  if (type.typeId === Type.Float) return `float${[16, 32, 64][type.precision]}`;
  return TYPE_NAMES[type.typeId] ?? `type ${type.typeId}`;
}

function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? Number(v) : v));
}

const jsonCell = (value: unknown): Cell => (value === undefined ? null : value !== null && typeof value === 'object' ? JSON.stringify(value) : (value as Cell));

/** The table as CSV lines, header first (a missing value is an empty field). */
export function* csvLines(table: ShownTable, batch = 10_000): Iterable<string> {
  yield csvFormatRows([table.columns.map((c) => c.name)]);
  for (let at = 0; at < table.rows.length; at += batch)
    yield csvFormatRows(table.rows.slice(at, at + batch).map((r) => r.map((v) => (v === null ? '' : String(v)))));
}

const CELL_WIDTH = 40;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * The table as aligned text: numbers (and text columns holding only numbers) right-aligned, a missing
 * value shown as `·`, a long cell cut at 40 characters, then how many rows were left out.
 */
export function textLines(table: ShownTable): string[] {
  const shown = table.rows.map((r) =>
    r.map((v) => {
      const text = v === null ? '·' : String(v).replace(/[\r\n\t]/g, ' ');
      return text.length > CELL_WIDTH ? `${text.slice(0, CELL_WIDTH - 1)}…` : text;
    }),
  );
  const numeric = table.columns.map((_, i) => table.rows.some((r) => r[i] !== null && r[i] !== '') && table.rows.every((r) => r[i] === null || r[i] === '' || typeof r[i] === 'number' || NUMBER.test(String(r[i]))));
  const widths = table.columns.map((c, i) => Math.max(c.name.length, c.type.length, ...shown.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    `${table.artifact}  (${table.format}, ${table.columns.length} columns, ${table.rowCount} ${table.rowCount === 1 ? 'row' : 'rows'})`,
    line(table.columns.map((c) => c.name)),
    line(table.columns.map((c) => c.type)),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...shown.map(line),
  ];
  if (table.rows.length < table.rowCount) out.push(`… ${table.rowCount - table.rows.length} more rows (--limit N to show more, --csv for every row)`);
  return out;
}
