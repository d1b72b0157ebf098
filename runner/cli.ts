/**
 * `pipeline <verb>`: the only place that parses arguments, prints, and turns errors into exit codes.
 *
 *   run [step…]   run the pipeline (or those steps and what they need)
 *   status        what a run would do, and why
 *   dag           the graph, as text and as Mermaid
 *   explain <a>   lineage of an artifact back to raw files
 *   verify        re-hash the cache; --recompute to re-run current entries and compare
 *   gc            drop entries the pipeline no longer refers to
 */
import { minimist, spinner } from 'zx';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toMermaid, upstreamOf } from './dag.js';
import { describeError, PipelineError } from './errors.js';
import { explainArtifact, formatLineage } from './explain.js';
import { collectGarbage, formatGc } from './gc.js';
import { short } from './hash.js';
import { acquireLock, type Lock } from './lock.js';
import { openProject, type Project, type ProjectOptions } from './project.js';
import { runPipeline, type Reporter, type StepResult } from './run.js';
import { planRun } from './status.js';
import { formatLastRun, lastRun, type LastRun } from './last-run.js';
import { formatVerify, verifyCache } from './verify.js';

export interface CliEffects {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether to draw a spinner (a terminal, not CI). */
  interactive: boolean;
  cwd: string;
  moduleUrl?: ProjectOptions['moduleUrl'];
}

const defaultEffects = (): CliEffects => ({
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
  cwd: process.cwd(),
});

const HELP: Record<string, string> = {
  main: `Usage: npm run pipeline -- [verb] [options]

Verbs:
  run [step...]        Run the pipeline (default). With step names: those steps and what they need.
  status               Show what a run would do, and exactly why each step would run.
  dag                  Show the graph as text and as a Mermaid diagram.
  explain <artifact>   Trace an artifact (reports/..., <step>:<file>, derived/...) back to raw files.
  verify               Re-hash every cache entry against its manifest (--recompute: re-run and compare).
  gc                   Remove cache entries the pipeline no longer refers to.

Global options:
  --project <dir>, -C  The project folder (default: the current folder).
  --help, -h           Help for a verb: npm run pipeline -- <verb> --help`,
  run: `Usage: npm run pipeline -- run [step...] [options]

Runs every step whose cache entry is missing or stale; serves the rest from derived/.
  step...              Run only these steps and the steps they depend on ("up to").
  --only <step,...>    Run only these steps; their upstream steps must already be cached.
  --force[=<step,...>] Recompute (all selected steps, or the named ones) even when cached.
  --keep-going         After a failure, still run the steps that do not depend on it.
  --no-wait            If another run holds derived/.lock, stop instead of waiting for it.
  --lock-timeout <s>   How long to wait for another run (default 600).`,
  status: `Usage: npm run pipeline -- status [--last] [--json]

Per step: up to date, will run (with every reason: which input, parameter, code file or package
changed), will restore (a published file differs from what the step produced), or waits (an
upstream step runs first; this one re-checks after it). Runs nothing.
  --last               Every reason of the last run, step by step, from derived/runs.ndjson.`,
  dag: `Usage: npm run pipeline -- dag [--mermaid | --text]

Prints the steps in run order with their module and inputs, then the graph as a Mermaid flowchart.`,
  explain: `Usage: npm run pipeline -- explain <artifact> [--json]

<artifact> is a published file (reports/tables/table3.csv), a cache file
(derived/<step>/<key>/<file>), <step>:<file>, or a step name. Prints the entry that made it, its
code, packages and parameters, and its inputs, back to raw files with their hashes; a raw file
whose content changed since is marked.`,
  verify: `Usage: npm run pipeline -- verify [--recompute]

Re-hashes every file of every cache entry and compares it with the entry's manifest, and checks the
other files the cache trusts: LATEST pointers, remembered hashes (derived/.state.json, corrected),
published files against their steps' entries, and the compiled runner (derived/.build/, rewritten
when it differs from a fresh compile). Exits 1 on any mismatch. --recompute also re-runs each step of
the current pipeline from its recorded inputs and checks that the outputs are byte-identical.`,
  gc: `Usage: npm run pipeline -- gc [--dry-run] [--keep-last N]

Removes cache entries that are neither a step's current entry nor its latest one, and leftovers of
killed runs; each entry removed is named with its step or branch, parameters, size and what changed
since it was made.
  --dry-run            List what would go; remove nothing.
  --keep-last N        Also keep each step's (or branch's) N most recent other entries, e.g. to get a
                       reverted parameter or a wave taken out for a while back from the cache.`,
};

export async function main(argv: string[], effects: CliEffects = defaultEffects()): Promise<number> {
  const args = minimist(argv, {
    string: ['project', 'only', 'lock-timeout', 'force', 'keep-last'],
    boolean: ['help', 'json', 'keep-going', 'wait', 'recompute', 'dry-run', 'mermaid', 'text', 'last'],
    alias: { C: 'project', h: 'help' },
    default: { wait: true },
  });
  const [verb = 'run', ...rest] = args._.map(String);
  if (!(verb in HELP) || verb === 'main') {
    effects.err(`pipeline: unknown verb "${verb}"\n\n${HELP.main}`);
    return 2;
  }
  if (args.help) {
    effects.out(HELP[verb === 'run' && argv.every((a) => a.startsWith('-')) ? 'main' : verb]!);
    return 0;
  }
  let project: Project | undefined;
  let lock: Lock | undefined;
  let stopListening = () => {};
  try {
    project = await openProject({ root: resolve(effects.cwd, args.project ?? '.'), moduleUrl: effects.moduleUrl });
    const locked = async () => {
      lock = await acquireLock(join(project!.derived, '.lock'), {
        wait: args.wait !== false,
        timeoutMs: Number(args['lock-timeout'] ?? 600) * 1000,
        command: ['pipeline', ...argv].join(' '),
        notify: effects.err,
      });
      stopListening = releaseOnSignal(lock);
      project!.cache.sweepTemporaries();
    };
    switch (verb) {
      case 'run': {
        await locked();
        const force = args.force === undefined ? false : args.force === '' || args.force === 'true' ? true : String(args.force).split(',');
        return reportRun(await runPipeline(project, { targets: rest, only: args.only ? String(args.only).split(',') : undefined, force, keepGoing: args['keep-going'], reporter: reporter(effects) }), effects);
      }
      case 'status':
        if (args.last) return printLastRun(await lastRun(project), args.json, effects);
        return printStatus(project, args.json, effects);
      case 'dag':
        return printDag(project, { mermaid: args.mermaid, text: args.text }, effects);
      case 'explain': {
        if (!rest[0]) throw new PipelineError('explain needs an artifact', HELP.explain);
        const lineage = explainArtifact(project, rest[0]);
        if (args.json) effects.out(JSON.stringify(lineage, null, 2));
        else {
          const shown = new Set<string>();
          for (const l of lineage) formatLineage(l, shown).forEach(effects.out);
        }
        return 0;
      }
      case 'verify': {
        await locked();
        const { lines, code } = formatVerify(await verifyCache(project, { recompute: args.recompute }), args.recompute);
        lines.forEach(effects.out);
        return code;
      }
      case 'gc': {
        await locked();
        const options = { dryRun: args['dry-run'], keepLast: keepLast(args['keep-last']) };
        formatGc(collectGarbage(project, options), options).forEach(effects.out);
        return 0;
      }
    }
    return 0;
  } catch (error) {
    effects.err(`pipeline: ${describeError(error)}`);
    return 1;
  } finally {
    stopListening();
    lock?.release();
  }
}

function reporter(effects: CliEffects): Reporter {
  return {
    start: () => {},
    around: effects.interactive ? (step, work) => spinner(`running ${step}`, work) as Promise<any> : undefined,
    finish: (r) => effects.out(formatResult(r)),
    note: effects.err,
  };
}

function formatResult(r: StepResult): string {
  const seconds = `${(r.durationMs / 1000).toFixed(2)} s`.padStart(8);
  const rows = r.rows !== null ? ` ${thousands(r.rows)} rows`.padStart(16) : ''.padStart(16);
  // A run names at most a few reasons per step; `status --last` lists them all.
  const shown = r.reasons.length > 4 ? [...r.reasons.slice(0, 3), `and ${r.reasons.length - 3} more (see status --last)`] : r.reasons;
  const why = r.status === 'failed' ? describeError(r.error) : r.status === 'ran' || r.status === 'skipped' ? shown.join('; ') : '';
  const cutoff = r.earlyCutoff ? ' [outputs unchanged: downstream stays cached]' : '';
  return `${r.status.padEnd(7)} ${r.step.padEnd(20)}${seconds}${rows}${why ? `  ${why}` : ''}${cutoff}`;
}

// Intl's number formatting costs more to load than a whole cached step takes; digits are grouped by hand.
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function reportRun(results: StepResult[], effects: CliEffects): number {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const total = results.reduce((t, r) => t + r.durationMs, 0);
  effects.out(`${results.length} steps: ${count('ran')} ran, ${count('cached')} cached, ${count('failed')} failed, ${count('skipped')} skipped (${(total / 1000).toFixed(2)} s)`);
  const failed = results.find((r) => r.status === 'failed');
  if (failed) {
    effects.err(`pipeline: ${describeError(failed.error)}`);
    effects.err('Steps that finished before it keep their cache entries; fix the cause and run again.');
    return 1;
  }
  return 0;
}

function printStatus(project: Project, json: boolean, effects: CliEffects): number {
  const plans = planRun(project);
  if (json) {
    effects.out(JSON.stringify(plans, null, 2));
    return 0;
  }
  for (const p of plans) {
    effects.out(`${p.state.padEnd(11)} ${p.step}${p.key ? `  (${short(p.key)})` : ''}`);
    for (const reason of p.reasons) effects.out(`              ${reason}`);
  }
  const stale = plans.filter((p) => p.state !== 'up to date').length;
  effects.out(stale ? `${stale} of ${plans.length} steps would run or re-check.` : `all ${plans.length} steps are up to date.`);
  return 0;
}

function keepLast(value: unknown): number {
  if (value === undefined) return 0;
  const n = value === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 0) throw new PipelineError(`--keep-last needs a whole number of entries, not "${value}"`, 'e.g. gc --keep-last 3');
  return n;
}

function printLastRun(last: LastRun | undefined, json: boolean, effects: CliEffects): number {
  if (json) effects.out(JSON.stringify(last ?? null, null, 2));
  else formatLastRun(last).forEach(effects.out);
  return 0;
}

function printDag(project: Project, args: { mermaid?: boolean; text?: boolean }, effects: CliEffects): number {
  if (!args.mermaid) {
    for (const s of project.declared.steps) {
      const inputs = Object.entries(s.inputs).flatMap(([name, list]) => list.map((i) => `${name}=${i.kind === 'raw' ? i.glob : i.kind === 'provenance' ? `${i.step}:provenance.json` : `${i.step}:${i.file}`}`));
      effects.out(`${s.name.padEnd(16)} ${s.module}${s.publish ? `  → ${s.publish}/` : ''}`);
      effects.out(`${''.padEnd(16)} after: ${upstreamOf(s).join(', ') || '(raw files only)'}`);
      effects.out(`${''.padEnd(16)} reads: ${inputs.join(', ')}`);
      effects.out(`${''.padEnd(16)} ${s.description}`);
      if (s.forEach?.length) {
        const branches = project.pipeline.steps.filter((b) => b.family === s.name).map((b) => b.name);
        effects.out(`${''.padEnd(16)} per ${s.forEach.join(', ')}: ${branches.join(', ') || '(no branch: nothing matches yet)'}`);
      }
    }
  }
  if (!args.text) {
    if (!args.mermaid) effects.out('');
    effects.out('```mermaid');
    effects.out(toMermaid(project.declared));
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
  process.exitCode = await main(process.argv.slice(2));
}
