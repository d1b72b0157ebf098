/** Timing helpers shared by the benchmarks: whole-process wall times, medians, peak RSS of children. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const cores = cpus().length;

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs a command to completion and returns its wall time in ms (throws on a non-zero exit). */
export function timeCommand(command: string, args: string[], options: SpawnSyncOptions = {}): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: 'pipe', encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  return ms;
}

/**
 * Wall time (ms), peak RSS (MB) and CPU time (user + system, ms) of a child process, read from GNU time
 * when it is installed. CPU time shows work done twice (a module imported by two workers) even when
 * load from elsewhere on the machine blurs the wall time.
 */
export function timeWithRss(command: string, args: string[], options: SpawnSyncOptions = {}): { ms: number; rssMb: number | null; cpuMs: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args], { stdio: 'pipe', encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) return { ms: timeCommand(command, args, options), rssMb: null, cpuMs: null };
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [kb, user, sys] = String(r.stderr).trim().split('\n').at(-1)!.split(' ').map(Number);
  return { ms, rssMb: Number.isFinite(kb) ? kb! / 1024 : null, cpuMs: Number.isFinite(user) && Number.isFinite(sys) ? (user! + sys!) * 1000 : null };
}

/** The machine's 1-minute load average, to print beside timings taken on a shared machine. */
export const loadAverage = (): string => loadavg()[0]!.toFixed(2);

export const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

const root = new URL('..', import.meta.url).pathname;

/** Compiles the runner and the steps into derived/.build, as `npm run pipeline` does before it runs them. */
export function buildPipeline(): void {
  const r = spawnSync(process.execPath, [join(root, 'runner/launch.mjs'), '--build-only'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build exited ${r.status}`);
}

/**
 * A module of the compiled pipeline (after `buildPipeline`), e.g. `steps/clean.js`: the code as
 * `npm run pipeline` runs it.
 */
export function builtModule<T>(rel: string): Promise<T> {
  return import(pathToFileURL(join(root, 'derived/.build', rel)).href) as Promise<T>;
}
