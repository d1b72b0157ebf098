/**
 * Runs the pipeline: for each step in order, resolve its key; serve a valid cache entry, or run
 * the step and commit a new entry. Upstream results feed downstream keys by content hash, so a
 * re-run step whose outputs come out byte-identical leaves its downstream steps cached (early cutoff).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { checkOutputName } from './cache.js';
import { downstreamOf, familyOf, withUpstream, type StepSpec } from './dag.js';
import { describeError, PipelineError, StepFailed } from './errors.js';
import { sha256 } from './hash.js';
import { countRows, RowCounter, type Manifest, type OutputRecord } from './manifest.js';
import type { Project } from './project.js';
import { publish } from './publish.js';
import { differences } from './reasons.js';
import { resolveStep, type ResolvedStep } from './resolve.js';
import { keepFailedOutputs } from './failed-outputs.js';
import { fileArtifact } from './input-file.js';
import { artifact, outputOrder, type Artifact, type StepFunction, type StepInputs, type StreamingStepOutputs } from './step.js';
import { schemaErrors, validator } from './validators.js';

export type StepStatus = 'cached' | 'ran' | 'failed' | 'skipped';

export interface StepResult {
  step: string;
  status: StepStatus;
  key: string | null;
  durationMs: number;
  rows: number | null;
  /** What the entry holds (cached or ran): names, hashes, sizes and rows of its outputs. */
  outputs: OutputRecord[] | null;
  reasons: string[];
  /** Ran, but wrote exactly what its previous entry held: downstream steps stay cached. */
  earlyCutoff: boolean;
  error: unknown;
}

export interface Reporter {
  start(step: string): void;
  /** Wraps a step's work, e.g. in a spinner on a terminal. */
  around?<T>(step: string, work: () => Promise<T>): Promise<T>;
  finish(result: StepResult): void;
  note(message: string): void;
}

export interface RunOptions {
  /** Run these steps and what they need (default: all). */
  targets?: string[];
  /** Recompute these steps even when cached (`true`: all selected). */
  force?: boolean | string[];
  /** After a failure, go on with the steps that do not depend on it. */
  keepGoing?: boolean;
  /** Run only these steps; every other selected step must already be cached. */
  only?: string[];
  reporter: Reporter;
  clock?: () => Date;
}

export async function runPipeline(project: Project, options: RunOptions): Promise<StepResult[]> {
  const clock = options.clock ?? (() => new Date());
  const runId = `${clock().toISOString()}-${process.pid}`;
  const targets = [...(options.targets ?? []), ...(options.only ?? [])];
  const steps = targets.length ? withUpstream(project.pipeline, targets) : project.pipeline.steps;
  const onlyThese = options.only?.length ? new Set(options.only) : undefined;
  const named = (list: string[], s: StepSpec) => list.includes(s.name) || (s.family !== undefined && list.includes(s.family));
  const forced = (s: StepSpec) => options.force === true || (Array.isArray(options.force) && named(options.force, s));
  const upstream = new Map<string, Manifest>();
  const blocked = new Set<string>();
  const results: StepResult[] = [];
  const logRun = await runLogger(project, runId);
  let stop = false;

  for (const spec of steps) {
    if (stop || blocked.has(spec.name)) {
      const result = emptyResult(spec.name, 'skipped', [stop ? 'an earlier step failed' : 'an upstream step failed']);
      results.push(result);
      options.reporter.finish(result);
      logRun(result, clock());
      continue;
    }
    options.reporter.start(spec.name);
    const startedAt = clock();
    const t0 = performance.now();
    let result: StepResult;
    try {
      const resolved = resolveStep(project, spec, upstream);
      const check = project.cache.check(spec.name, resolved.key);
      // The entry the published folder mirrors until this step is done.
      const before = latestManifest(project, spec.name);
      if (onlyThese && !named([...onlyThese], spec) && check.state !== 'valid')
        throw new PipelineError(`step "${spec.name}" is not up to date, so --only ${[...onlyThese].join(',')} cannot use its outputs`, `Run without --only, or run "${spec.name}" first.`);
      if (check.state === 'valid' && !forced(spec)) {
        upstream.set(spec.name, check.manifest);
        result = { ...emptyResult(spec.name, 'cached', []), key: resolved.key, rows: totalRows(check.manifest.outputs), outputs: check.manifest.outputs };
      } else {
        const reasons = forced(spec)
          ? ['forced']
          : check.state === 'corrupt'
            ? [`cache entry ${spec.name}/${resolved.key.slice(0, 12)} is corrupt: ${check.reason}; recomputing`]
            : whyRun(project, spec.name, resolved);
        if (check.state === 'corrupt') options.reporter.note(`warning: ${reasons[0]}`);
        const previous = before && outputsSignature(before.outputs);
        const work = () => execute(project, resolved, startedAt, () => performance.now() - t0);
        const manifest = await (options.reporter.around ? options.reporter.around(spec.name, work) : work());
        upstream.set(spec.name, manifest);
        result = {
          ...emptyResult(spec.name, 'ran', reasons),
          key: manifest.key,
          rows: totalRows(manifest.outputs),
          outputs: manifest.outputs,
          earlyCutoff: previous !== undefined && previous === outputsSignature(manifest.outputs),
        };
      }
      project.cache.setLatest(spec.name, resolved.key);
      if (spec.publish) {
        const published = publish(project, spec.publish, upstream.get(spec.name)!, before, spec.publishKeeps);
        for (const d of published.restored) {
          const line = `put back ${d.path}: ${d.state === 'missing' ? 'it was missing' : `it differed from what ${spec.name} produced (the file had sha256 ${d.found!.hash.slice(0, 12)}, ${d.found!.bytes} B)`}`;
          options.reporter.note(line);
          result.reasons.push(line);
        }
        for (const file of published.removed) options.reporter.note(`removed ${file} (no longer produced by ${spec.name})`);
      }
    } catch (error) {
      const failure = error instanceof PipelineError ? error : new StepFailed(spec.name, error);
      result = { ...emptyResult(spec.name, 'failed', []), error: failure };
      downstreamOf(project.pipeline, spec.name).forEach((d) => blocked.add(d));
      if (!options.keepGoing) stop = true;
    }
    result.durationMs = performance.now() - t0;
    results.push(result);
    options.reporter.finish(result);
    logRun(result, startedAt);
  }
  project.saveState();
  return results;
}

/** Why a step without a valid entry for its key must run, compared with its latest entry. */
export function whyRun(project: Project, step: string, resolved: ResolvedStep): string[] {
  const pointer = project.cache.pointer(step);
  if (pointer.state === 'corrupt') return [pointerUnreadable(project, step, pointer.reason)];
  const latest = pointer.state === 'valid' ? pointer.key : undefined;
  if (!latest) return ['never run'];
  const before = project.cache.readManifest(step, latest);
  if (before === undefined || typeof before === 'string') return ['no usable previous entry to compare with'];
  if (latest === resolved.key) return ['its cache entry was removed'];
  const diff = differences(resolved.components, before.components);
  return diff.length ? diff : ['key changed'];
}

/** A damaged pointer says nothing about what ran before: said as such, never as "never run". */
export function pointerUnreadable(project: Project, step: string, reason: string): string {
  return `${relative(project.root, project.cache.pointerPath(step))} ${reason}, so what changed since the latest entry cannot be told (a run rewrites it)`;
}

async function execute(project: Project, resolved: ResolvedStep, startedAt: Date, elapsed: () => number): Promise<Manifest> {
  const staged = project.cache.stage(resolved.spec.name, resolved.key);
  const records = await computeOutputs(project, resolved, staged);
  const manifest: Manifest = {
    format: 'pipeline-manifest/1',
    step: resolved.spec.name,
    key: resolved.key,
    components: resolved.components,
    lineage: resolved.lineage,
    ...(resolved.spec.overrides ? { overrides: resolved.spec.overrides } : {}),
    outputs: records,
    run: { startedAt: startedAt.toISOString(), durationMs: 0, host: hostname(), pid: process.pid, node: process.versions.node, gitCommit: gitCommit(project.root) },
  };
  manifest.run.durationMs = Math.round(elapsed() * 1000) / 1000;
  project.cache.commit(manifest, staged);
  return manifest;
}

/**
 * Reads a resolved step's inputs, calls its function and writes what it returns into `staged` (or,
 * without it, only hashes it: `verify --recompute`). Streamed outputs are written and hashed piece
 * by piece, in name order, and never held whole.
 */
export async function computeOutputs(project: Project, resolved: ResolvedStep, staged?: string): Promise<OutputRecord[]> {
  const { spec } = resolved;
  const fn = await loadStep(project, spec);
  const inputs: StepInputs = {};
  for (const [name, sources] of Object.entries(resolved.sources)) {
    inputs[name] = sources.map((source, i) => readInput(project, spec.name, source, resolved.components.inputs[name]![i]!.hash));
  }
  let outputs: StreamingStepOutputs;
  try {
    // A copy, so that a step mutating its parameters cannot change what the manifest records.
    outputs = await fn(inputs, structuredClone(spec.params));
  } catch (error) {
    throw new StepFailed(spec.name, error, staged ? keepFailedOutputs(project.root, project.derived, spec.name, resolved.key, error) : undefined);
  }
  if (!outputs || typeof outputs !== 'object') throw new StepFailed(spec.name, new Error('the step returned no outputs object'));
  const records: OutputRecord[] = [];
  for (const name of Object.keys(outputs)) checkOutputName(spec.name, name);
  // Streamed outputs first: a deferred output sums up what they held.
  for (const name of outputOrder(outputs)) {
    let value = outputs[name]!;
    const path = staged && join(staged, name);
    if (path) mkdirSync(dirname(path), { recursive: true });
    if (typeof value === 'object' && 'chunks' in value) {
      // Rows are counted only when the step does not state them.
      const written = writeChunks(spec.name, value.chunks, path, value.rows === undefined ? new RowCounter(name) : undefined);
      const rows = typeof value.rows === 'function' ? stated(spec.name, value.rows) : value.rows;
      records.push({ name, ...written, ...(rows !== undefined ? { rows } : {}) });
      continue;
    }
    if (typeof value === 'function') value = stated(spec.name, value);
    const file = typeof value === 'string' || value instanceof Uint8Array ? { content: value } : value;
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    if (path) writeFileSync(path, bytes);
    records.push({ name, hash: sha256(bytes), bytes: bytes.length, rows: file.rows ?? countRows(name, bytes) });
  }
  return records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A value the step states only after its streams were read; its errors are the step's. */
function stated<T>(step: string, get: () => T): T {
  try {
    return get();
  } catch (error) {
    throw new StepFailed(step, error);
  }
}

function writeChunks(step: string, chunks: Iterable<Uint8Array | string>, path: string | undefined, counter: RowCounter | undefined) {
  const hash = createHash('sha256');
  const fd = path ? openSync(path, 'w') : undefined;
  let bytes = 0;
  try {
    for (const piece of chunks) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      hash.update(chunk);
      counter?.add(chunk);
      bytes += chunk.length;
      if (fd !== undefined) for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
    }
  } catch (error) {
    throw new StepFailed(step, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return { hash: hash.digest('hex'), bytes, rows: counter ? counter.rows() : null };
}

async function loadStep(project: Project, spec: StepSpec): Promise<StepFunction> {
  let mod: { default?: unknown };
  try {
    mod = await import(project.moduleUrl(spec.module));
  } catch (error) {
    throw new PipelineError(`cannot load ${spec.module} for step "${spec.name}": ${describeError(error)}`);
  }
  if (typeof mod.default !== 'function') throw new PipelineError(`${spec.module} must default-export the function of step "${spec.name}"`);
  return mod.default as StepFunction;
}

/** A declared input as the step receives it (read on demand, checked against its hash: input-file.ts). */
function readInput(project: Project, step: string, source: ResolvedStep['sources'][string][number], expected: string): Artifact {
  if (source.kind === 'provenance') return artifact(`${source.step}:provenance.json`, source.content, expected);
  const [name, path, mismatch] =
    source.kind === 'raw'
      ? [source.file, join(project.root, source.file), () => new PipelineError(`${source.file} changed while step "${step}" was running; run again`)]
      : [
          `${source.step}:${source.file}`,
          join(project.cache.entryDir(source.step, source.key), source.file),
          () =>
            new PipelineError(
              `${source.step}:${source.file} in derived/${familyOf(source.step)}/${source.key.slice(0, 12)} does not match its manifest`,
              'Run `pipeline verify`, then run again: the corrupt entry is recomputed.',
            ),
        ];
  return fileArtifact(name, path, expected, mismatch);
}

/** The manifest of the step's latest entry, when its pointer and manifest can be read. */
export function latestManifest(project: Project, step: string): Manifest | undefined {
  const latest = project.cache.latest(step);
  const before = latest ? project.cache.readManifest(step, latest) : undefined;
  return before && typeof before !== 'string' ? before : undefined;
}

const outputsSignature = (outputs: OutputRecord[]) => outputs.map((o) => `${o.name}:${o.hash}`).join('\n');

function totalRows(outputs: OutputRecord[]): number | null {
  const counted = outputs.filter((o) => o.rows !== null);
  return counted.length ? counted.reduce((sum, o) => sum + o.rows!, 0) : null;
}

function emptyResult(step: string, status: StepStatus, reasons: string[]): StepResult {
  return { step, status, key: null, durationMs: 0, rows: null, outputs: null, reasons, earlyCutoff: false, error: null };
}

/** Appends one validated record per step to derived/runs.ndjson: the only place besides manifests that holds times. */
async function runLogger(project: Project, runId: string) {
  const validate = await validator('run-record');
  mkdirSync(project.derived, { recursive: true });
  const overridesOf = (step: string) => project.pipeline.steps.find((s) => s.name === step)?.overrides;
  return (result: StepResult, startedAt: Date) => {
    const record = {
      runId,
      step: result.step,
      status: result.status,
      key: result.key,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(result.durationMs * 1000) / 1000,
      reasons: result.reasons,
      rows: result.rows,
      earlyCutoff: result.earlyCutoff,
      error: result.error ? describeError(result.error) : null,
      // Parameters set on the command line for this run (`-S`), where they differ from the defaults.
      ...(overridesOf(result.step) ? { overrides: overridesOf(result.step) } : {}),
    };
    if (!validate(record)) throw new PipelineError(`internal: run record does not match schemas/run-record.schema.json: ${schemaErrors(validate)}`);
    appendFileSync(join(project.derived, 'runs.ndjson'), JSON.stringify(record) + '\n');
  };
}

/** The checked-out commit, read from .git without spawning git; recorded in manifests, never in outputs. */
function gitCommit(root: string): string | null {
  try {
    const head = readFileSync(join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    try {
      return readFileSync(join(root, '.git', ref), 'utf8').trim();
    } catch {
      const packed = readFileSync(join(root, '.git', 'packed-refs'), 'utf8');
      return packed.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0] ?? null;
    }
  } catch {
    return null;
  }
}
