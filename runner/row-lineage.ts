/**
 * One number's lineage: a cell of a table followed, row by row, down to the raw lines it rests on.
 *
 * The convention is generic: beside an output `<file>` a step may write `<file>.lineage.json`
 * (schemas/row-lineage.schema.json) saying, for each of the file's rows, which rows of which inputs it
 * was computed from. An input is named as the step received it (`correlate[2013]:table3.csv`, whose
 * producing entry the manifest's lineage gives), as another output of the same entry (`scores.arrow`),
 * or as a raw file's path; rows count a table's data rows
 * (or records) from 1, lines count a raw file's physical lines from 1. `explain --cell` reads the cell,
 * then follows the sidecars from entry to entry until it reaches raw lines or an output without one,
 * and says which. The runner reads nothing else of the data, so it stays ignorant of what rows mean.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { familyOf } from './dag.js';
import { PipelineError } from './errors.js';
import { locate, readEntry } from './explain.js';
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';
import { isRowLineage, lineageRows, type RowLineageFile } from '../contract/row-lineage.js';

export type { RowLineageFile };

export const sidecarName = (file: string) => `${file}.lineage.json`;

export interface CellAddress {
  row: number;
  column: string;
}

export function parseCellAddress(text: string): CellAddress {
  const m = /^(\d+):(.+)$/.exec(text);
  if (!m || Number(m[1]) < 1) throw new PipelineError(`--cell ${JSON.stringify(text)} is not <row>:<column>`, 'Rows count from 1 (the first data row under the header), e.g. --cell 1:r.');
  return { row: Number(m[1]), column: m[2]! };
}

export interface Entry {
  step: string;
  key: string;
  manifest: Manifest;
}

/** One level of the walk: an entry and how many of its output's rows the number rests on. */
export interface CellLevel {
  step: string;
  entry: string;
  module: string;
  params: unknown;
  file: string;
  rows: number;
  /** What those rows rest on, per input: how many rows (or lines). */
  from: Array<{ input: string; unit: 'row' | 'line'; count: number }>;
}

export interface RawSource {
  file: string;
  hash: string;
  lines: number;
  /** The entry that read the file, and the other raw files it read with it (the codebook, schemas). */
  readBy: Array<{ step: string; module: string; params: unknown; with: Array<{ path: string; hash: string }> }>;
}

export interface CellLineage {
  artifact: string;
  row: number;
  column: string;
  value: string;
  /** The whole row, column by column, to say what the number is. */
  context: Record<string, string>;
  levels: CellLevel[];
  raw: RawSource[];
  /** The distinct raw lines reached, with the identifier of the row that read each. */
  rows: Array<{ key: string | null; file: string; line: number }>;
  /** Where the walk stopped before raw lines, and why. */
  stoppedAt: Array<{ artifact: string; rows: number; reason: string }>;
}

export function entryOf(project: Project, step: string, key: string): Entry {
  return { step, key, manifest: readEntry(project, step, key) };
}

export function readSidecar(project: Project, e: Entry, file: string): RowLineageFile | undefined {
  const path = join(project.cache.entryDir(e.step, e.key), sidecarName(file));
  if (!existsSync(path) || !e.manifest.outputs.some((o) => o.name === sidecarName(file))) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isRowLineage(parsed))
    throw new PipelineError(
      `row lineage derived/${familyOf(e.step)}/${e.key.slice(0, 12)}/${sidecarName(file)} is not in the shape of schemas/row-lineage.schema.json (version 2)`,
      `Rerun ${e.step} with --force to write it again.`,
    );
  return parsed;
}

function readCell(project: Project, e: Entry, file: string, address: CellAddress, label: string) {
  const bytes = readFileSync(join(project.cache.entryDir(e.step, e.key), file), 'utf8');
  const records = parse(bytes, { skip_empty_lines: true, relax_column_count: true }) as string[][];
  const [header = [], ...body] = records;
  const column = header.indexOf(address.column);
  if (column < 0) throw new PipelineError(`${label} has no column "${address.column}"`, `Its columns: ${header.join(', ')}.`);
  const row = body[address.row - 1];
  if (!row) throw new PipelineError(`${label} has no row ${address.row}`, `It has ${body.length} data rows, numbered from 1 under the header.`);
  return { value: row[column] ?? '', context: Object.fromEntries(header.map((h, i) => [h, row[i] ?? ''])) };
}

/** Follows one cell of a table down through the sidecars its producing entries wrote. */
export function explainCell(project: Project, target: string, address: CellAddress): CellLineage {
  const located = locate(project, target);
  if (located.length !== 1 || !located[0]!.files || located[0]!.files.length !== 1)
    throw new PipelineError(`--cell needs one table, and "${target}" names ${located.length} entries`, 'Name one branch, e.g. correlate[2013]:table3.csv, or a published file under reports/.');
  const start = located[0]!;
  const file = start.files![0]!;
  const first = entryOf(project, start.step, start.key);
  if (!first.manifest.outputs.some((o) => o.name === file)) throw new PipelineError(`step "${start.step}" wrote no file "${file}"`);
  const { value, context } = readCell(project, first, file, address, target);

  const levels: CellLevel[] = [];
  const stoppedAt: CellLineage['stoppedAt'] = [];
  const rawLines = new Map<string, Map<number, string | null>>();
  const rawReaders = new Map<string, Entry[]>();
  // A frontier of (entry, file, rows), each row carrying the identifier of the nearest row above that had one.
  let frontier = [{ entry: first, file, rows: new Map<number, string | null>([[address.row, null]]) }];
  const seen = new Set<string>();
  while (frontier.length) {
    const next = new Map<string, { entry: Entry; file: string; rows: Map<number, string | null> }>();
    for (const { entry, file: name, rows } of frontier) {
      const label = `${entry.step}:${name}`;
      if (seen.has(label)) continue;
      seen.add(label);
      const sidecar = readSidecar(project, entry, name);
      const level: CellLevel = {
        step: entry.step,
        entry: `derived/${familyOf(entry.step)}/${entry.key}`,
        module: entry.manifest.components.module,
        params: entry.manifest.components.params,
        file: name,
        rows: rows.size,
        from: [],
      };
      levels.push(level);
      if (!sidecar) {
        stoppedAt.push({ artifact: label, rows: rows.size, reason: `${entry.step} wrote no ${sidecarName(name)}, so which input rows these rest on is not recorded` });
        continue;
      }
      const counts = sidecar.inputs.map(() => new Set<number>());
      const refsOf = lineageRows(sidecar);
      for (const [row, inherited] of rows) {
        const refs = refsOf(row);
        if (!refs) throw new PipelineError(`${sidecarName(name)} of ${entry.step} has no row ${row}`, 'The step wrote a row lineage shorter than its table: rerun it with --force.');
        const key = sidecar.keys?.[row - 1] ?? inherited;
        for (const [input, ranges] of refs) {
          const list = rowsIn(ranges);
          const path = sidecar.inputs[input];
          if (path === undefined) throw new PipelineError(`${sidecarName(name)} of ${entry.step} names input ${input}, which it does not list`);
          for (const r of list) counts[input]!.add(r);
          if (sidecar.units[input] === 'line') {
            const lines = rawLines.get(path) ?? new Map<number, string | null>();
            for (const line of list) if (!lines.has(line)) lines.set(line, key);
            rawLines.set(path, lines);
            rawReaders.set(path, [...(rawReaders.get(path) ?? []), entry]);
            continue;
          }
          // An input from another step, or another output of this same entry (a table computed from its own scores).
          const upstreamKey = entry.manifest.lineage[path];
          const sibling = !path.includes(':') && entry.manifest.outputs.some((o) => o.name === path);
          if (!upstreamKey && !sibling) throw new PipelineError(`${sidecarName(name)} of ${entry.step} refers to "${path}", which is neither one of its inputs nor one of its outputs`);
          const id = sibling ? `${entry.step}:${path}` : path;
          const [step, ...rest] = path.split(':');
          const at = next.get(id) ?? { entry: sibling ? entry : entryOf(project, step!, upstreamKey!), file: sibling ? path : rest.join(':'), rows: new Map<number, string | null>() };
          for (const r of list) if (!at.rows.has(r)) at.rows.set(r, key);
          next.set(id, at);
        }
      }
      level.from = sidecar.inputs.map((input, i) => ({ input, unit: sidecar.units[i]!, count: counts[i]!.size })).filter((f) => f.count > 0);
    }
    frontier = [...next.values()];
  }

  const raw: RawSource[] = [...rawLines.keys()].sort().map((path) => ({ file: path, hash: rawHash(project, rawReaders.get(path)!, path), lines: rawLines.get(path)!.size, readBy: readersOf(project, levels, path) }));
  const rows = [...rawLines.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([path, lines]) => [...lines.entries()].sort(([a], [b]) => a - b).map(([line, key]) => ({ key, file: path, line })));
  return { artifact: target, row: address.row, column: address.column, value, context, levels, raw, rows, stoppedAt };
}

/** Every row of a list of runs, in order, as often as it is iterated. */
function rowsIn(ranges: ReadonlyArray<readonly [number, number]>): Iterable<number> {
  return {
    *[Symbol.iterator]() {
      for (const [first, last] of ranges) for (let r = first; r <= last; r++) yield r;
    },
  };
}

/** The raw file's hash as the entries that read it recorded it (searched upstream of them). */
function rawHash(project: Project, entries: Entry[], path: string): string {
  for (const e of entries) {
    const found = findReaders(project, e, path)[0];
    const record = found && Object.values(found.manifest.components.inputs).flat().find((r) => r.path === path);
    if (record) return record.hash;
  }
  return '';
}

/** Entries upstream of (or equal to) `e` that read `path` as one of their inputs. */
function findReaders(project: Project, e: Entry, path: string, seen = new Set<string>()): Entry[] {
  if (seen.has(e.key)) return [];
  seen.add(e.key);
  const records = Object.values(e.manifest.components.inputs).flat();
  if (records.some((r) => r.path === path)) return [e];
  return records.flatMap((r) => {
    const key = e.manifest.lineage[r.path];
    if (!key) return [];
    return findReaders(project, entryOf(project, r.path.split(':')[0]!, key), path, seen);
  });
}

function readersOf(project: Project, levels: readonly CellLevel[], path: string): RawSource['readBy'] {
  const start = levels.map((l) => entryOf(project, l.step, l.entry.split('/').pop()!));
  const readers = new Map<string, Entry>();
  for (const e of start) for (const r of findReaders(project, e, path)) readers.set(r.key, r);
  return [...readers.values()].map((r) => ({
    step: r.step,
    module: r.manifest.components.module,
    params: r.manifest.components.params,
    with: Object.values(r.manifest.components.inputs)
      .flat()
      .filter((i) => i.path !== path && !r.manifest.lineage[i.path])
      .map((i) => ({ path: i.path, hash: i.hash })),
  }));
}

const short = (hash: string) => hash.slice(0, 12);

export function formatCellLineage(c: CellLineage, withRows: boolean): string[] {
  const lines = [`${c.artifact} row ${c.row}, column ${c.column} = ${c.value}`];
  lines.push(`  the row: ${Object.entries(c.context).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  for (const l of c.levels) {
    lines.push(`${l.step} (${l.module}), entry ${l.entry.replace(/[0-9a-f]{64}$/, (k) => short(k))}, params ${JSON.stringify(l.params)}`);
    lines.push(`  ${l.rows} row${l.rows === 1 ? '' : 's'} of ${l.file}${l.from.length ? ' rest on:' : ''}`);
    for (const f of l.from) lines.push(`    ${f.count} ${f.unit}${f.count === 1 ? '' : 's'} of ${f.input}`);
  }
  for (const r of c.raw) {
    lines.push(`raw ${r.file}  sha256 ${short(r.hash)}  ${r.lines} line${r.lines === 1 ? '' : 's'}`);
    for (const by of r.readBy)
      lines.push(`  read by ${by.step} (${by.module}), params ${JSON.stringify(by.params)}, with ${by.with.map((w) => `${w.path} ${short(w.hash)}`).join(', ') || 'nothing else'}`);
  }
  for (const s of c.stoppedAt) lines.push(`stops at ${s.artifact} (${s.rows} row${s.rows === 1 ? '' : 's'}): ${s.reason}`);
  if (withRows) {
    lines.push(`rows (${c.rows.length}):`);
    for (const r of c.rows) lines.push(`  ${r.key ?? '-'}  ${r.file}:${r.line}`);
  }
  return lines;
}
