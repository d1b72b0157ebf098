/**
 * `pipeline <verb>`: the only place that parses arguments, prints, and turns errors into exit codes.
 *
 *   run [step…]   run the pipeline (or those steps and what they need)
 *   status        what a run would do, and why
 *   dag           the graph, as text and as Mermaid
 *   explain <a>   lineage of an artifact back to raw files
 *   show <a>      a table artifact as aligned text or CSV
 *   verify        re-hash the cache; --recompute to re-run current entries and compare
 *   gc            drop entries the pipeline no longer refers to
 *   params        every step parameter, its default and the value the last run used
 *
 * Verbs and options are declared once in args.ts; an unknown one is an error (exit 2), not ignored.
 */
import { spinner } from 'zx';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { helpText, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { upstreamOf } from './dag.js';
import { graphOf, readsOf, toDot, toMermaidGraph } from './dag-view.js';
import { planDryRun } from './dry-run.js';
import { describeError } from './errors.js';
import { defaultJobs, executorFor } from './executor.js';
import { explainArtifact, formatLineage } from './explain.js';
import { formatTableSummary } from './explain-table.js';
import { explainCell, formatCellLineage, parseCellAddress } from './row-lineage.js';
import { collectGarbage, formatGc } from './gc.js';
import { csvLines, showArtifact, textLines } from './show.js';
import { short } from './hash.js';
import { acquireLock, type Lock } from './lock.js';
import type { OutputRecord } from './manifest.js';
import { listParams, parseOverrides, withOverrides, type Override } from './params.js';
import { openProject, type Project, type ProjectOptions } from './project.js';
import { runPipeline, type Reporter, type StepResult } from './run.js';
import { formatLastRun, lastRun, type LastRun } from './last-run.js';
import { planRun, type StepPlan } from './status.js';
import { checkStepNames, splitStepList } from './step-names.js';
import { formatVerify, verifyCache } from './verify.js';

export interface CliEffects {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether to draw a spinner (a terminal, not CI). */
  interactive: boolean;
  cwd: string;
  moduleUrl?: ProjectOptions['moduleUrl'];
}

/**
 * Printing to the terminal. A reader that stops early (`status | head`) closes the pipe: what is left
 * to print is dropped instead of failing with EPIPE, and the command finishes as it would have.
 */
export function terminalEffects(cwd: string, moduleUrl?: ProjectOptions['moduleUrl']): CliEffects {
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    out: (line) => void (closed || process.stdout.write(line + '\n')),
    err: (line) => process.stderr.write(line + '\n'),
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    cwd,
    ...(moduleUrl ? { moduleUrl } : {}),
  };
}

export async function main(argv: string[], effects: CliEffects = terminalEffects(process.cwd())): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    effects.err(`pipeline: ${describeError(error)}`);
    return 2;
  }
  const { verb, operands: rest, options } = args;
  const flag = (name: string) => options[name] === true;
  const root = resolve(effects.cwd, typeof options.project === 'string' ? options.project : '.');
  if (flag('version')) {
    effects.out(version(root));
    return 0;
  }
  if (flag('help')) {
    effects.out(helpText(argv.includes(verb) ? verb : 'main'));
    return 0;
  }
  const json = flag('json');
  let project: Project | undefined;
  let lock: Lock | undefined;
  let stopListening = () => {};
  try {
    project = await openProject({ root, moduleUrl: effects.moduleUrl });
    const overrides = await parseOverrides(project.pipeline, (options.set as string[] | undefined) ?? []);
    project = { ...project, pipeline: withOverrides(project.pipeline, overrides) };
    const locked = async () => {
      lock = await acquireLock(join(project!.derived, '.lock'), {
        wait: options.wait !== false,
        timeoutMs: Number(options['lock-timeout'] ?? 600) * 1000,
        command: ['pipeline', ...argv].join(' '),
        notify: effects.err,
      });
      stopListening = releaseOnSignal(lock);
      project!.cache.sweepTemporaries();
    };
    const list = (name: string) => (typeof options[name] === 'string' ? splitStepList(options[name] as string) : undefined);
    switch (verb) {
      case 'run': {
        const targets = checkStepNames(project.pipeline, rest, 'run');
        const only = list('only') && checkStepNames(project.pipeline, list('only')!, '--only');
        const force = options.force === undefined ? false : options.force === true ? true : checkStepNames(project.pipeline, list('force')!, '--force');
        if (options['lock-timeout'] !== undefined && !(Number(options['lock-timeout']) >= 0))
          throw new UsageError(`--lock-timeout ${options['lock-timeout']}: expected a number of seconds`);
        if (flag('dry-run')) return printPlans(planDryRun(project, { targets, only, force }), overrides, { json, dryRun: true }, effects);
        await locked();
        const width = Math.max(...project.pipeline.steps.map((s) => s.name.length));
        const jobs = jobCount(options.jobs);
        const t0 = performance.now();
        const results = await runPipeline(project, { targets, only, force, keepGoing: flag('keep-going'), reporter: reporter(effects, width, json, jobs), executor: executorFor(jobs) });
        return reportRun(results, { overrides, jobs, wallMs: performance.now() - t0 }, json, effects);
      }
      case 'status':
        if (flag('last')) return printLastRun(await lastRun(project), json, effects);
        return printPlans(planRun(project), overrides, { json, dryRun: false }, effects);
      case 'dag':
        return printDag(project, { mermaid: flag('mermaid'), text: flag('text'), dot: flag('dot'), branches: flag('branches'), json }, effects);
      case 'explain': {
        if (!rest[0]) throw new UsageError('explain needs an artifact', helpText('explain').split('\n')[0]);
        if (typeof options.cell === 'string' || flag('rows')) {
          if (typeof options.cell !== 'string') throw new UsageError('--rows lists the rows under one cell: give --cell <row>:<column> too');
          const cell = explainCell(project, rest[0], parseCellAddress(options.cell));
          if (json) effects.out(JSON.stringify(flag('rows') ? cell : { ...cell, rows: undefined }, null, 2));
          else formatCellLineage(cell, flag('rows')).forEach(effects.out);
          return 0;
        }
        const lineage = explainArtifact(project, rest[0]);
        if (json) effects.out(JSON.stringify(lineage, null, 2));
        else {
          const shown = new Set<string>();
          for (const l of lineage) (l.table && !flag('tree') ? formatTableSummary(l, l.table) : formatLineage(l, shown)).forEach(effects.out);
        }
        return 0;
      }
      case 'show': {
        if (!rest[0]) throw new UsageError('show needs an artifact', helpText('show').split('\n')[0]);
        const limit = rowLimit(options.limit, flag('csv'));
        const tables = showArtifact(project, rest[0], limit);
        if (json) effects.out(JSON.stringify(tables, null, 2));
        else if (flag('csv')) {
          if (tables.length > 1) throw new UsageError(`${rest[0]} names ${tables.length} files (${tables.map((t) => t.artifact).join(', ')}); --csv prints one`, 'Name one branch, e.g. step[branch]:file.');
          for (const line of csvLines(tables[0]!)) effects.out(line);
        } else
          tables.forEach((t, i) => {
            if (i) effects.out('');
            textLines(t).forEach(effects.out);
          });
        return 0;
      }
      case 'params': {
        const params = listParams(project);
        if (json) effects.out(JSON.stringify(params, null, 2));
        else
          for (const p of params) {
            effects.out(`${p.step}.${p.param}  ${p.type}${p.allowed ? ` (${p.allowed.map((v) => JSON.stringify(v)).join(' | ')})` : ''}${p.description ? `  ${p.description}` : ''}`);
            effects.out(`    default ${JSON.stringify(p.default)}; last run: ${formatUsed(p.lastUsed)}`);
          }
        return 0;
      }
      case 'verify': {
        await locked();
        const recompute = flag('recompute');
        const report = await verifyCache(project, { recompute });
        const { lines, code } = formatVerify(report, recompute);
        if (json) effects.out(JSON.stringify(report, null, 2));
        else lines.forEach(effects.out);
        return code;
      }
      case 'gc': {
        await locked();
        const gcOptions = { dryRun: flag('dry-run'), keepLast: keepLast(options['keep-last']) };
        const report = collectGarbage(project, gcOptions);
        if (json) effects.out(JSON.stringify({ ...gcOptions, ...report }, null, 2));
        else formatGc(report, gcOptions).forEach(effects.out);
        return 0;
      }
    }
    return 0;
  } catch (error) {
    effects.err(`pipeline: ${describeError(error)}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    stopListening();
    lock?.release();
  }
}

/** The project's name and version (its package.json), and Node's. */
function version(root: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return `${pkg.name ?? 'pipeline'} ${pkg.version ?? '(no version)'} (node ${process.versions.node})`;
  } catch {
    return `pipeline (no package.json in ${root}) (node ${process.versions.node})`;
  }
}

const formatUsed = (used: Record<string, unknown>) => {
  const values = [...new Set(Object.values(used).map((v) => JSON.stringify(v)))];
  if (!Object.keys(used).length) return '(not run yet)';
  if (values.length === 1) return values[0]!;
  return Object.entries(used).map(([b, v]) => `${b} ${JSON.stringify(v)}`).join(', ');
};

function reporter(effects: CliEffects, width: number, json: boolean, jobs: number): Reporter {
  return {
    start: () => {},
    // One spinner names one step: with steps running side by side, none is drawn.
    around: effects.interactive && !json && jobs === 1 ? (step, work) => spinner(`running ${step}`, work) as Promise<any> : undefined,
    finish: (r) => json || effects.out(formatResult(r, width)),
    note: effects.err,
  };
}

/** One line per step: status, name and seconds in fixed columns, what it produced, why it ran. */
export function formatResult(r: StepResult, width: number): string {
  const seconds = `${(r.durationMs / 1000).toFixed(2)} s`.padStart(8);
  // A run names at most a few reasons per step; `status --last` lists them all.
  const shown = r.reasons.length > 4 ? [...r.reasons.slice(0, 3), `and ${r.reasons.length - 3} more (see status --last)`] : r.reasons;
  // A failure's message is printed once, after the list, where it is read in full.
  const why = r.status === 'failed' ? 'the error is given below the list' : r.status === 'ran' || r.status === 'skipped' ? shown.join('; ') : '';
  const cutoff = r.earlyCutoff ? ' [outputs unchanged: downstream stays cached]' : '';
  const produced = describeOutputs(r.outputs);
  return `${r.status.padEnd(7)} ${r.step.padEnd(width)} ${seconds}  ${why || cutoff ? produced.padEnd(40) : produced}${why ? `  ${why}` : ''}${cutoff}`.trimEnd();
}

/**
 * What a step produced, in words a reader can check: the rows of its one or two outputs, or for a
 * step writing many files (a report), how many and how large. JSON arrays count items, not rows.
 */
export function describeOutputs(outputs: readonly OutputRecord[] | null): string {
  if (!outputs?.length) return '';
  const one = (o: OutputRecord) =>
    o.rows === null ? `${o.name} ${size(o.bytes)}` : `${o.name} ${thousands(o.rows)} ${o.name.endsWith('.json') ? (o.rows === 1 ? 'item' : 'items') : o.rows === 1 ? 'row' : 'rows'}`;
  if (outputs.length <= 2) return outputs.map(one).join(', ');
  const total = outputs.reduce((t, o) => t + o.bytes, 0);
  const largest = [...outputs].filter((o) => o.rows !== null && !o.name.endsWith('.json')).sort((a, b) => b.rows! - a.rows!)[0];
  return largest && outputs.length <= 4 ? `${one(largest)} (+${outputs.length - 1} files)` : `${outputs.length} files, ${size(total)}`;
}

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

// Intl's number formatting costs more to load than a whole cached step takes; digits are grouped by hand.
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The run's last line (or its JSON); its time is the wall clock's, as steps may have overlapped. */
function reportRun(results: StepResult[], run: { overrides: readonly Override[]; jobs: number; wallMs: number }, json: boolean, effects: CliEffects): number {
  const { overrides, jobs, wallMs: total } = run;
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const failed = results.filter((r) => r.status === 'failed');
  if (json)
    effects.out(
      JSON.stringify(
        {
          overrides,
          steps: results.map((r) => ({ ...r, error: r.error ? describeError(r.error) : null, durationMs: Math.round(r.durationMs * 1000) / 1000 })),
          counts: { ran: count('ran'), cached: count('cached'), failed: count('failed'), skipped: count('skipped') },
          jobs,
          durationMs: Math.round(total * 1000) / 1000,
        },
        null,
        2,
      ),
    );
  else effects.out(`${results.length} steps: ${count('ran')} ran, ${count('cached')} cached, ${count('failed')} failed, ${count('skipped')} skipped (${(total / 1000).toFixed(2)} s)`);
  if (failed.length) {
    // With --keep-going several branches may fail: each error is given, in the list's order.
    for (const f of failed) effects.err(`pipeline: ${describeError(f.error)}`);
    effects.err('Steps that finished before it keep their cache entries; fix the cause and run again.');
    return 1;
  }
  return 0;
}

/** `status`, and `run -n`: per step, what a run would do and why. */
function printPlans(plans: StepPlan[], overrides: readonly Override[], how: { json: boolean; dryRun: boolean }, effects: CliEffects): number {
  if (how.json) {
    effects.out(JSON.stringify(how.dryRun ? { dryRun: true, overrides, steps: plans } : plans, null, 2));
    return plans.some((p) => p.state === 'error') && how.dryRun ? 1 : 0;
  }
  const width = Math.max(0, ...plans.map((p) => p.step.length));
  for (const o of overrides) effects.out(`with ${o.step}.${o.param} = ${JSON.stringify(o.value)}`);
  for (const p of plans) {
    effects.out(`${p.state.padEnd(11)} ${p.step.padEnd(width)}${p.key ? `  (${short(p.key)})` : ''}`.trimEnd());
    for (const reason of p.reasons) effects.out(`              ${reason}`);
  }
  const stale = plans.filter((p) => p.state !== 'up to date').length;
  effects.out(stale ? `${stale} of ${plans.length} steps would run or re-check.` : `all ${plans.length} steps are up to date.`);
  if (how.dryRun) effects.out('Dry run: nothing was run or written.');
  return plans.some((p) => p.state === 'error') && how.dryRun ? 1 : 0;
}

/** `--limit N`: rows to print; by default 20 in a table and every row as CSV; 0 means every row. */
function rowLimit(value: unknown, csv: boolean): number | undefined {
  if (value === undefined) return csv ? undefined : 20;
  const n = Number(value);
  if (value === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`--limit ${value}: expected a whole number of rows (0: every row)`, 'e.g. show clean:records.arrow --limit 5');
  return n === 0 ? undefined : n;
}

/** `-j N`: how many steps may run at once (default: the cores the machine offers). */
function jobCount(value: unknown): number {
  if (value === undefined) return defaultJobs();
  const n = Number(value);
  if (value === '' || !Number.isInteger(n) || n < 1) throw new UsageError(`-j ${value}: expected a whole number of jobs, 1 or more`, 'e.g. run -j 2');
  return n;
}

function keepLast(value: unknown): number {
  if (value === undefined) return 0;
  const n = value === '' || value === true ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--keep-last needs a whole number of entries, not "${value}"`, 'e.g. gc --keep-last 3');
  return n;
}

function printLastRun(last: LastRun | undefined, json: boolean, effects: CliEffects): number {
  if (json) effects.out(JSON.stringify(last ?? null, null, 2));
  else formatLastRun(last).forEach(effects.out);
  return 0;
}

function printDag(project: Project, args: { mermaid: boolean; text: boolean; dot: boolean; branches: boolean; json: boolean }, effects: CliEffects): number {
  const pipeline = args.branches ? project.pipeline : project.declared;
  const graph = graphOf(pipeline, { raw: !args.branches });
  if (args.json) {
    const steps = pipeline.steps.map((s) => ({
      name: s.name,
      module: s.module,
      description: s.description,
      forEach: s.forEach ?? [],
      after: upstreamOf(s),
      reads: readsOf(s),
      publish: s.publish ?? null,
      branches: args.branches ? [] : project.pipeline.steps.filter((b) => b.family === s.name).map((b) => b.name),
    }));
    effects.out(JSON.stringify({ branches: args.branches, steps, graph }, null, 2));
    return 0;
  }
  if (args.dot) {
    effects.out(toDot(graph));
    return 0;
  }
  if (!args.mermaid) {
    const width = Math.max(16, ...pipeline.steps.map((s) => s.name.length + 1));
    for (const s of pipeline.steps) {
      effects.out(`${s.name.padEnd(width)} ${s.module}${s.publish ? `  → ${s.publish}/` : ''}`);
      effects.out(`${''.padEnd(width)} after: ${upstreamOf(s).join(', ') || '(raw files only)'}`);
      effects.out(`${''.padEnd(width)} reads: ${readsOf(s).join(', ')}`);
      if (args.branches) continue;
      effects.out(`${''.padEnd(width)} ${s.description}`);
      if (s.forEach?.length) {
        const branches = project.pipeline.steps.filter((b) => b.family === s.name).map((b) => b.name);
        effects.out(`${''.padEnd(width)} per ${s.forEach.join(', ')}: ${branches.join(', ') || '(no branch: nothing matches yet)'}`);
      }
    }
  }
  if (!args.text) {
    if (!args.mermaid) effects.out('');
    effects.out('```mermaid');
    effects.out(toMermaidGraph(graph));
    effects.out('```');
  }
  return 0;
}

/** A run stopped with Ctrl-C or SIGTERM releases its lock (SIGKILL cannot: the next run recovers it). */
function releaseOnSignal(lock: Lock): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      lock.release();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

// Run directly (`node --import tsx runner/cli.ts …`): the TypeScript sources themselves, as tests do.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2), terminalEffects(process.cwd()));
}
