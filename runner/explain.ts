/**
 * The lineage of an artifact: which entry produced it, with which code, parameters and inputs,
 * followed back through upstream entries to raw files, each with its hash, and whether a raw file
 * still has the content it had when the artifact was made.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { familyOf } from './dag.js';
import { PipelineError } from './errors.js';
import { short } from './hash.js';
import { stepsNamed } from './step-names.js';
import type { Manifest } from './manifest.js';
import { isTable, summariseTable, type TableSummary } from './explain-table.js';
import type { Project } from './project.js';

export interface Lineage {
  artifact: string;
  /** For a published file, what the file holds now; otherwise what the entry holds. */
  hash: string;
  bytes: number;
  rows: number | null;
  /** A published file that differs from what its step produced: what the step produced. */
  produced?: { hash: string; bytes: number };
  producedBy: {
    step: string;
    key: string;
    entry: string;
    module: string;
    code: Record<string, string>;
    dependencies: Record<string, string>;
    params: unknown;
    /** Parameters set on the command line for the run that made the entry (`-S`). */
    overrides?: Record<string, unknown>;
    run: Manifest['run'];
    inputs: Record<string, Array<Lineage | RawLineage>>;
  };
  /** For a table named on the command line: its columns, inputs and row-lineage coverage. */
  table?: TableSummary;
}

export interface RawLineage {
  artifact: string;
  hash: string;
  bytes: number;
  /** The file's hash now, when it differs from the one recorded (or 'missing'). */
  changedSince?: string;
}

/**
 * Accepts `reports/…` (a published file), `derived/<step>/<key>/<file>`, `<step>:<file>` or `<step>`;
 * a fanned-out step's name (`correlate`, `correlate:table3.csv`) stands for each of its branches.
 */
export function explainArtifact(project: Project, target: string): Lineage[] {
  return locate(project, target).flatMap(({ step, key, files, published }) => {
    const manifest = readEntry(project, step, key);
    const names = files ?? manifest.outputs.map((o) => o.name);
    const lineages = names.map((name) => lineageOf(project, manifest, name, target.includes(':') || files === undefined ? `${step}:${name}` : target));
    if (published) for (const l of lineages) checkPublished(project, published, l);
    // A table gets the summary explain prints for it (and --json carries beside the whole tree).
    names.forEach((name, i) => {
      if (isTable(name)) lineages[i]!.table = summariseTable(project, step, key, name, lineages[i]!);
    });
    return lineages;
  });
}

/** A published file is described as it is on disk, beside what its step produced when the two differ. */
function checkPublished(project: Project, path: string, lineage: Lineage): void {
  const full = join(project.root, path);
  if (!existsSync(full))
    throw new PipelineError(`${path} is missing; ${lineage.producedBy.step} produced it (sha256 ${short(lineage.hash)}, ${lineage.bytes} B)`, 'Run the pipeline to put it back.');
  const found = project.files.hash(full);
  if (found.hash === lineage.hash) return;
  lineage.produced = { hash: lineage.hash, bytes: lineage.bytes };
  lineage.hash = found.hash;
  lineage.bytes = found.bytes;
}

export function locate(project: Project, target: string): Array<{ step: string; key: string; files?: string[]; published?: string }> {
  const steps = project.pipeline.steps;
  const latest = (step: string) => {
    const key = project.cache.latest(step);
    if (!key) throw new PipelineError(`step "${step}" has not run yet`, 'Run the pipeline first.');
    return key;
  };
  // A declared step's name means its branches; a branch's or an unfanned step's name, itself.
  const branches = (name: string) => steps.filter((s) => s.name === name || s.family === name).map((s) => s.name);
  const colon = /^([a-z][a-z0-9-]*(?:\[[^\]]+\])?):(.+)$/.exec(target);
  if (colon) return stepsNamed(project.pipeline, colon[1]!, 'explain').map((s) => ({ step: s.name, key: latest(s.name), files: [colon[2]!] }));
  if (branches(target).length) return branches(target).map((step) => ({ step, key: latest(step) }));
  // A bare word (no folder, no extension) can only be a step: name the nearest one.
  if (/^[a-z][a-z0-9-]*(?:\[[^\]]*\])?$/.test(target)) stepsNamed(project.pipeline, target, 'explain');
  const rel = relative(project.root, resolve(project.root, target)).split(sep).join('/');
  const cached = /^derived\/([a-z][a-z0-9-]*)\/([0-9a-f]{64})\/(.+)$/.exec(rel);
  if (cached) {
    const manifest = readEntry(project, cached[1]!, cached[2]!);
    return [{ step: manifest.step, key: cached[2]!, files: [cached[3]!] }];
  }
  for (const s of steps)
    if (s.publish && rel.startsWith(`${s.publish.replace(/\/$/, '')}/`))
      return [{ step: s.name, key: latest(s.name), files: [rel.slice(s.publish.replace(/\/$/, '').length + 1)], published: rel }];
  throw new PipelineError(
    `cannot tell which step made "${target}"`,
    'Name a published file (e.g. reports/…), a cache file derived/<step>/<key>/<file>, <step>:<file>, or a step.',
  );
}

export function readEntry(project: Project, step: string, key: string): Manifest {
  const manifest = project.cache.readManifest(step, key);
  if (manifest === undefined) throw new PipelineError(`no cache entry derived/${step}/${short(key)}`, 'Run the pipeline, then ask again.');
  if (typeof manifest === 'string') throw new PipelineError(`cache entry derived/${step}/${short(key)} is corrupt: ${manifest}`);
  return manifest;
}

function lineageOf(project: Project, manifest: Manifest, file: string, label: string): Lineage {
  const out = manifest.outputs.find((o) => o.name === file);
  if (!out) throw new PipelineError(`step "${manifest.step}" wrote no file "${file}"`, `It wrote: ${manifest.outputs.map((o) => o.name).join(', ')}.`);
  const inputs: Lineage['producedBy']['inputs'] = {};
  for (const [name, records] of Object.entries(manifest.components.inputs)) {
    inputs[name] = records.map((record) => {
      const upstreamKey = manifest.lineage[record.path];
      if (upstreamKey && record.path.endsWith(':provenance.json') && !readEntry(project, record.path.split(':')[0]!, upstreamKey).outputs.some((o) => o.name === 'provenance.json')) {
        return { artifact: record.path, hash: record.hash, bytes: record.bytes };
      }
      if (upstreamKey) {
        const [step, ...rest] = record.path.split(':');
        return lineageOf(project, readEntry(project, step!, upstreamKey), rest.join(':'), record.path);
      }
      const path = join(project.root, record.path);
      const now = existsSync(path) ? project.files.hash(path).hash : 'missing';
      return { artifact: record.path, hash: record.hash, bytes: record.bytes, ...(now !== record.hash ? { changedSince: now } : {}) };
    });
  }
  const { components: c } = manifest;
  return {
    artifact: label,
    hash: out.hash,
    bytes: out.bytes,
    rows: out.rows,
    producedBy: {
      step: manifest.step,
      key: manifest.key,
      entry: `derived/${familyOf(manifest.step)}/${manifest.key}`,
      module: c.module,
      code: c.code,
      dependencies: c.dependencies,
      params: c.params,
      ...(manifest.overrides ? { overrides: manifest.overrides } : {}),
      run: manifest.run,
      inputs,
    },
  };
}

/** The lineage as an indented tree; upstream entries already shown are not repeated. */
export function formatLineage(lineage: Lineage, shown = new Set<string>(), indent = ''): string[] {
  const p = lineage.producedBy;
  const lines = [
    `${indent}${lineage.artifact}  sha256 ${short(lineage.hash)}  ${lineage.bytes} B${lineage.rows !== null && !lineage.produced ? `  ${lineage.rows} rows` : ''}` +
      (lineage.produced ? `  (differs from what ${p.step} produced: sha256 ${short(lineage.produced.hash)}, ${lineage.produced.bytes} B; the next run puts that back)` : ''),
    `${indent}  made by ${p.step} (${p.module}), entry ${p.entry.replace(p.key, short(p.key))}, ran ${p.run.startedAt} in ${Math.round(p.run.durationMs)} ms`,
  ];
  if (shown.has(p.entry)) return [...lines, `${indent}  (inputs of this entry shown above)`];
  shown.add(p.entry);
  lines.push(`${indent}  code: ${Object.entries(p.code).map(([f, h]) => `${f} ${short(h)}`).join(', ')}`);
  if (Object.keys(p.dependencies).length) lines.push(`${indent}  packages: ${Object.entries(p.dependencies).map(([n, v]) => `${n}@${v}`).join(', ')}`);
  lines.push(`${indent}  params: ${JSON.stringify(p.params)}`);
  if (p.overrides) lines.push(`${indent}  set on the command line: ${Object.entries(p.overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
  for (const [name, list] of Object.entries(p.inputs)) {
    lines.push(`${indent}  input ${name}:`);
    for (const item of list) {
      if ('producedBy' in item) lines.push(...formatLineage(item, shown, `${indent}    `));
      else
        lines.push(
          `${indent}    ${item.artifact}  sha256 ${short(item.hash)}  ${item.bytes} B${item.changedSince ? `  (changed since: now ${item.changedSince === 'missing' ? 'missing' : short(item.changedSince)})` : ''}`,
        );
    }
  }
  return lines;
}
