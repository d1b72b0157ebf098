/**
 * Runs the pipeline: each step, once the steps it reads are done, resolves its key and is served
 * from a valid cache entry, or runs on the executor and commits a new entry; independent branches
 * run at once, as many as the executor has slots. Upstream results feed downstream keys by content hash, so a
 * re-run step whose outputs come out byte-identical leaves its downstream steps cached (early cutoff).
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { familyOf, upstreamOf, withUpstream, type StepSpec } from './dag.js';
import { describeError, PipelineError, StepFailed } from './errors.js';
import { inProcess, type Executor } from './executor.js';
import { runJob, type Job, type JobInput } from './job.js';
import type { Manifest, OutputRecord } from './manifest.js';
import type { Project } from './project.js';
import { publish } from './publish.js';
import { differences } from './reasons.js';
import { resolveStep, type ResolvedStep } from './resolve.js';
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
  /**
   * Where step functions run (default: this thread, one at a time). Independent branches run at once
   * up to its slots; how many never enters a key, and the outputs are the same whichever runs them.
   */
  executor?: Executor;
}

export async function runPipeline(project: Project, options: RunOptions): Promise<StepResult[]> {
  const clock = options.clock ?? (() => new Date());
  const runId = `${clock().toISOString()}-${process.pid}`;
  const targets = [...(options.targets ?? []), ...(options.only ?? [])];
  const steps = targets.length ? withUpstream(project.pipeline, targets) : project.pipeline.steps;
  const executor = options.executor ?? inProcess();
  const slots = new Slots(executor.slots);
  const upstream = new Map<string, Manifest>();
  const settled = new Map<string, Promise<StepStatus>>();
  const results: StepResult[] = [];
  const startedAt: Date[] = [];
  const logRun = await runLogger(project, runId);
  // Lines and log records go out in pipeline order, whatever order branches finish in.
  const emit = inOrder(steps.length, (i) => {
    options.reporter.finish(results[i]!);
    logRun(results[i]!, startedAt[i]!);
  });
  const run = { project, options, executor, slots, upstream, clock, stop: false };

  steps.forEach((spec, i) => {
    const deps = upstreamOf(spec).filter((d) => settled.has(d));
    const done = (async () => {
      const statuses = await Promise.all(deps.map((d) => settled.get(d)!));
      startedAt[i] = clock();
      const result =
        run.stop || statuses.some((s) => s === 'failed' || s === 'skipped')
          ? emptyResult(spec.name, 'skipped', [run.stop ? 'an earlier step failed' : 'an upstream step failed'])
          : await runStep(run, spec, i, startedAt[i]!);
      if (result.status === 'failed' && !options.keepGoing) run.stop = true;
      results[i] = result;
      emit(i);
      return result.status;
    })();
    settled.set(spec.name, done);
  });
  try {
    await Promise.all(settled.values());
  } finally {
    await executor.close();
    project.saveState();
  }
  return results;
}

interface Run {
  project: Project;
  options: RunOptions;
  executor: Executor;
  slots: Slots;
  /** The manifest each step resolved to in this run, for its dependants' keys. */
  upstream: Map<string, Manifest>;
  clock: () => Date;
  /** A step failed without --keep-going: no further step starts. */
  stop: boolean;
}

/**
 * One step, its upstream steps done: served from the cache, or run on the executor and committed.
 * Its duration is its own work: the time it waited for a free slot is left out.
 */
async function runStep(run: Run, spec: StepSpec, index: number, startedAt: Date): Promise<StepResult> {
  const { project, options } = run;
  const t0 = performance.now();
  let waited = 0;
  const elapsed = () => performance.now() - t0 - waited;
  const named = (list: string[], s: StepSpec) => list.includes(s.name) || (s.family !== undefined && list.includes(s.family));
  const forced = options.force === true || (Array.isArray(options.force) && named(options.force, spec));
  options.reporter.start(spec.name);
  let result: StepResult;
  try {
    const resolved = resolveStep(project, spec, run.upstream);
    const check = project.cache.check(spec.name, resolved.key);
    // The entry the published folder mirrors until this step is done.
    const before = latestManifest(project, spec.name);
    if (options.only?.length && !named(options.only, spec) && check.state !== 'valid')
      throw new PipelineError(`step "${spec.name}" is not up to date, so --only ${options.only.join(',')} cannot use its outputs`, `Run without --only, or run "${spec.name}" first.`);
    if (check.state === 'valid' && !forced) {
      run.upstream.set(spec.name, check.manifest);
      result = { ...emptyResult(spec.name, 'cached', []), key: resolved.key, rows: totalRows(check.manifest.outputs), outputs: check.manifest.outputs };
    } else {
      const reasons = forced
        ? ['forced']
        : check.state === 'corrupt'
          ? [`cache entry ${spec.name}/${resolved.key.slice(0, 12)} is corrupt: ${check.reason}; recomputing`]
          : whyRun(project, spec.name, resolved);
      if (check.state === 'corrupt') options.reporter.note(`warning: ${reasons[0]}`);
      const previous = before && outputsSignature(before.outputs);
      const queued = performance.now();
      const probe = jobOf(project, resolved);
      const { release, handed } = await run.slots.acquire(index, () => run.executor.admits?.(probe) ?? true);
      waited = performance.now() - queued;
      let manifest: Manifest;
      try {
        // A failure elsewhere while this step waited for a slot: it does not start.
        if (run.stop) return emptyResult(spec.name, 'skipped', ['an earlier step failed']);
        const work = () => execute(project, run.executor, resolved, startedAt, elapsed, handed);
        manifest = await (options.reporter.around ? options.reporter.around(spec.name, work) : work());
      } finally {
        release();
      }
      run.upstream.set(spec.name, manifest);
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
      const published = publish(project, spec.publish, run.upstream.get(spec.name)!, before, spec.publishKeeps);
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
  }
  result.durationMs = elapsed();
  return result;
}

/**
 * At most `n` holders at a time; a freed slot goes to the waiting step earliest in pipeline order that
 * the executor admits (executor.ts `admits`), so that with one slot steps run in the order `-j 1` has
 * always run them. One step is handed over at a time: the next is admitted only once the executor has
 * taken the last (`handed`), so that each answer sees the workers the jobs before it took.
 */
class Slots {
  private free: number;
  private handing = false;
  private readonly waiting: { priority: number; admits: () => boolean; grant: () => void }[] = [];
  constructor(n: number) {
    this.free = Math.max(1, n);
  }
  async acquire(priority: number, admits: () => boolean = () => true): Promise<{ release: () => void; handed: () => void }> {
    await new Promise<void>((grant) => {
      this.waiting.push({ priority, admits, grant });
      this.waiting.sort((a, b) => a.priority - b.priority);
      this.pump();
    });
    let handed = false;
    let released = false;
    const hand = () => {
      if (handed) return;
      handed = true;
      this.handing = false;
      this.pump();
    };
    return {
      handed: hand,
      release: () => {
        if (released) return;
        released = true;
        this.free++;
        hand();
        this.pump();
      },
    };
  }
  private pump(): void {
    if (this.handing || this.free === 0) return;
    const i = this.waiting.findIndex((w) => w.admits());
    if (i < 0) return;
    const [next] = this.waiting.splice(i, 1);
    this.free--;
    this.handing = true;
    next!.grant();
  }
}

/** Calls `emit(i)` for 0, 1, 2, ... as each becomes ready, however out of order they are marked. */
function inOrder(count: number, emit: (i: number) => void): (i: number) => void {
  const ready = new Array<boolean>(count).fill(false);
  let next = 0;
  return (i) => {
    ready[i] = true;
    while (next < count && ready[next]) emit(next++);
  };
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

async function execute(project: Project, executor: Executor, resolved: ResolvedStep, startedAt: Date, elapsed: () => number, handed: () => void): Promise<Manifest> {
  const staged = project.cache.stage(resolved.spec.name, resolved.key);
  const running = executor.run(jobOf(project, resolved, staged));
  handed();
  const records = await running;
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
 * without it, only hashes it: `verify --recompute`), in this thread.
 */
export function computeOutputs(project: Project, resolved: ResolvedStep, staged?: string): Promise<OutputRecord[]> {
  return runJob(jobOf(project, resolved, staged));
}

/** A resolved step as a job any executor can run: its module, its inputs' files and hashes, its parameters. */
export function jobOf(project: Project, resolved: ResolvedStep, staged?: string): Job {
  const { spec } = resolved;
  const inputs: Job['inputs'] = {};
  for (const [name, sources] of Object.entries(resolved.sources))
    inputs[name] = sources.map((source, i) => jobInput(project, spec.name, source, resolved.components.inputs[name]![i]!.hash));
  return {
    step: spec.name,
    module: spec.module,
    moduleUrl: project.moduleUrl(spec.module),
    inputs,
    params: spec.params,
    // What a failing step hands over (rejected rows, say) is kept for a real run, never for verify's recompute.
    ...(staged ? { staged, failed: { root: project.root, derived: project.derived, key: resolved.key } } : {}),
  };
}

/** A declared input as the step will receive it (read on demand, checked against its hash: input-file.ts). */
function jobInput(project: Project, step: string, source: ResolvedStep['sources'][string][number], hash: string): JobInput {
  if (source.kind === 'provenance') return { name: `${source.step}:provenance.json`, hash, content: source.content };
  if (source.kind === 'raw')
    return { name: source.file, hash, file: join(project.root, source.file), mismatch: { message: `${source.file} changed while step "${step}" was running; run again` } };
  return {
    name: `${source.step}:${source.file}`,
    hash,
    file: join(project.cache.entryDir(source.step, source.key), source.file),
    mismatch: {
      message: `${source.step}:${source.file} in derived/${familyOf(source.step)}/${source.key.slice(0, 12)} does not match its manifest`,
      hint: 'Run `pipeline verify`, then run again: the corrupt entry is recomputed.',
    },
  };
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
