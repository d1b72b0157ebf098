/**
 * `explain` on a table: what a reader needs before following one number (its columns and rows, the
 * inputs it was made from, how far its row lineage reaches and whether a raw file changed since),
 * instead of the whole tree of upstream entries, which --tree and --json still give. Knows file
 * formats and the row-lineage convention, never what a column means.
 */
import { extname, join } from 'node:path';
import { familyOf } from './dag.js';
import { short } from './hash.js';
import { readEntry, type Lineage, type RawLineage } from './explain.js';
import { entryOf, readSidecar, sidecarName, type Entry } from './row-lineage.js';
import { readTable } from './show.js';
import type { Project } from './project.js';
import { lineageLength } from '../contract/row-lineage.js';

/** One file of the row-lineage chain below a table: how many of its rows name the rows they rest on. */
export interface LineageCoverage {
  /** `<step>:<file>`. */
  artifact: string;
  rows: number;
  /** Rows whose sidecar entry names at least one input row; 0 without a sidecar. */
  covered: number;
  /** What those rows rest on: `<step>:<file>` or a raw file's path; empty without a sidecar. */
  on: string[];
  /** False where the step wrote no `<file>.lineage.json`: explain --cell stops there. */
  sidecar: boolean;
}

export interface TableSummary {
  columns: string[];
  /** A column to name in the example --cell command (the last whose first value is a number). */
  example: string;
  rows: number;
  /** Per input name of the producing entry: how many files, and the steps (or raw paths) they come from. */
  inputs: Array<{ name: string; files: number; from: string[] }>;
  rowLineage: LineageCoverage[];
  /** Distinct raw files anywhere upstream, and those whose content changed since. */
  raw: { files: number; changed: RawLineage[] };
}

const TABLE_FORMATS = new Set(['.csv', '.arrow', '.feather', '.ipc', '.ndjson', '.jsonl']);
export const isTable = (file: string) => TABLE_FORMATS.has(extname(file).toLowerCase());

export function summariseTable(project: Project, step: string, key: string, file: string, lineage: Lineage): TableSummary {
  const entry = entryOf(project, step, key);
  const table = readTable(`${step}:${file}`, join(project.cache.entryDir(step, key), file), file, 1);
  // The example command names a column whose first value is a number, where there is one.
  const first = table.rows[0] ?? [];
  const numeric = table.columns.map((c) => c.name).filter((_, i) => first[i] !== null && first[i] !== '' && Number.isFinite(Number(first[i])));
  const inputs = Object.entries(lineage.producedBy.inputs).map(([name, list]) => ({
    name,
    files: list.length,
    from: [...new Set(list.map((i) => ('producedBy' in i ? i.producedBy.step : i.artifact)))],
  }));
  const raw = new Map<string, RawLineage>();
  const walk = (l: Lineage) => {
    for (const list of Object.values(l.producedBy.inputs)) for (const i of list) 'producedBy' in i ? walk(i) : raw.set(i.artifact, i);
  };
  walk(lineage);
  return {
    columns: table.columns.map((c) => c.name),
    example: numeric[numeric.length - 1] ?? table.columns[table.columns.length - 1]?.name ?? 'column',
    rows: table.rowCount,
    inputs,
    rowLineage: coverage(project, entry, file),
    raw: { files: raw.size, changed: [...raw.values()].filter((r) => r.changedSince !== undefined).sort((a, b) => (a.artifact < b.artifact ? -1 : 1)) },
  };
}

/** The sidecars below a table, file by file (not row by row), as explain --cell would follow them. */
function coverage(project: Project, first: Entry, file: string): LineageCoverage[] {
  const out: LineageCoverage[] = [];
  const queue: Array<{ entry: Entry; file: string }> = [{ entry: first, file }];
  const seen = new Set<string>();
  while (queue.length) {
    const { entry, file: name } = queue.shift()!;
    const label = `${entry.step}:${name}`;
    if (seen.has(label)) continue;
    seen.add(label);
    const rows = entry.manifest.outputs.find((o) => o.name === name)?.rows ?? 0;
    const sidecar = readSidecar(project, entry, name);
    if (!sidecar) {
      out.push({ artifact: label, rows, covered: 0, on: [], sidecar: false });
      continue;
    }
    const used = new Set<number>();
    let covered = 0;
    for (const [count, set] of sidecar.rows) {
      const refs = (sidecar.sets[set] ?? []).filter(([, ranges]) => ranges.length);
      for (const [input] of refs) used.add(input);
      if (refs.length) covered += count;
    }
    out.push({ artifact: label, rows: rows || lineageLength(sidecar), covered, on: [...used].sort((a, b) => a - b).map((i) => sidecar.inputs[i]!), sidecar: true });
    for (const i of [...used].sort((a, b) => a - b)) {
      if (sidecar.units[i] === 'line') continue;
      const path = sidecar.inputs[i]!;
      const upstream = entry.manifest.lineage[path];
      if (upstream) queue.push({ entry: { step: path.split(':')[0]!, key: upstream, manifest: readEntry(project, path.split(':')[0]!, upstream) }, file: path.split(':').slice(1).join(':') });
      else if (!path.includes(':') && entry.manifest.outputs.some((o) => o.name === path)) queue.push({ entry, file: path });
    }
  }
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** "a, b, c and 4 more": long lists of branches or raw files stay one line. */
const some = (items: readonly string[], shown = 4) => (items.length <= shown ? items.join(', ') : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`);

export function formatTableSummary(lineage: Lineage, t: TableSummary): string[] {
  const p = lineage.producedBy;
  const lines = [
    `${lineage.artifact}  sha256 ${short(lineage.hash)}  ${lineage.bytes} B  ${plural(t.rows, 'row')}` +
      (lineage.produced ? `  (differs from what ${p.step} produced: sha256 ${short(lineage.produced.hash)}, ${lineage.produced.bytes} B; the next run puts that back)` : ''),
    `  made by ${p.step} (${p.module}), entry derived/${familyOf(p.step)}/${short(p.key)}, ran ${p.run.startedAt} in ${Math.round(p.run.durationMs)} ms`,
    `  columns (${t.columns.length}): ${t.columns.join(', ')}`,
    `  params: ${JSON.stringify(p.params)}`,
  ];
  if (p.overrides) lines.push(`  set on the command line: ${Object.entries(p.overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
  lines.push(`  inputs:`);
  for (const i of t.inputs) lines.push(`    ${i.name}: ${plural(i.files, 'file')}${i.from.length ? ` from ${some(i.from)}` : ''}`);
  lines.push('  row lineage (what explain --cell follows):');
  for (const c of t.rowLineage)
    lines.push(c.sidecar ? `    ${c.artifact}: ${c.covered} of ${plural(c.rows, 'row')} rest on ${some(c.on, 3)}` : `    ${c.artifact}: ${plural(c.rows, 'row')}, no ${sidecarName(c.artifact.split(':').slice(1).join(':'))}: the walk stops here`);
  lines.push(`  raw files upstream: ${t.raw.files}, ${t.raw.changed.length ? `${t.raw.changed.length} changed since:` : 'none changed since'}`);
  for (const r of t.raw.changed) lines.push(`    ${r.artifact}  sha256 ${short(r.hash)}  ${r.bytes} B  (changed since: now ${r.changedSince === 'missing' ? 'missing' : short(r.changedSince!)})`);
  const target = /[^\w./:-]/.test(lineage.artifact) ? `'${lineage.artifact}'` : lineage.artifact;
  lines.push(`  one number: npm run pipeline -- explain ${target} --cell 1:${t.example} (add --rows for its raw lines); every entry and hash: --tree, or --json`);
  return lines;
}
