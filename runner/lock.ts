/**
 * One run at a time per cache: `derived/.lock` names the process that holds it. A second run waits
 * (or, with --no-wait, stops) with a message naming the holder; a lock whose process is gone (a run
 * that was killed) is recovered, and the recovery is reported. Only a process on this host can be
 * checked: a lock taken on another host (a shared derived/) is never taken over from here.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { PipelineError } from './errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  /** Tells this acquisition apart from any other, even one made by the same process. */
  token?: string;
}

/** How long a lock file may stay empty while its writer is still writing it. */
export const EMPTY_LOCK_GRACE_MS = 2000;

export interface LockOptions {
  wait: boolean;
  timeoutMs: number;
  command: string;
  /** Told once when waiting starts and when a stale lock is recovered. */
  notify: (message: string) => void;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export class Lock {
  private released = false;
  constructor(readonly path: string, readonly holder: LockHolder) {}
  /** Removes the lock only if it is still this one: it may have been taken over since (and is then another run's). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const holder = JSON.parse(readFileSync(this.path, 'utf8')) as LockHolder;
      if (holder.token === this.holder.token && holder.pid === this.holder.pid && holder.host === this.holder.host) rmSync(this.path, { force: true });
    } catch {
      // Already gone, or not ours to read: nothing to release.
    }
  }
}

export async function acquireLock(path: string, options: LockOptions): Promise<Lock> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + options.timeoutMs;
  let toldWaiting = false;
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: now().toISOString(), command: options.command, token: randomUUID() };
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(me) + '\n');
      } finally {
        closeSync(fd);
      }
      return new Lock(path, me);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path, now().getTime());
    if (holder === 'gone') continue;
    if (holder === 'young') {
      await sleep(50);
      continue;
    }
    if (holder === 'unreadable' || (holder.host === hostname() && !isAlive(holder.pid))) {
      // Rename first: of two runs recovering the same stale lock, only one rename succeeds.
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
        rmSync(aside, { force: true });
        options.notify(
          holder === 'unreadable'
            ? `recovered ${path}: it was left half-written by a run that was killed`
            : `recovered ${path} left by a run that is no longer running (pid ${holder.pid}, started ${holder.startedAt}, "${holder.command}")`,
        );
      } catch {
        // Another run recovered it first; try again.
      }
      continue;
    }
    const who = `pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}, "${holder.command}"`;
    // A process on another host (a shared derived/ on a network drive) cannot be checked from here.
    const elsewhere =
      holder.host === hostname()
        ? ''
        : ` A lock taken on another host is never taken over from this one: if no run is going on ${holder.host}, delete ${path} by hand.`;
    if (!options.wait)
      throw new PipelineError(`another pipeline run holds ${path} (${who})`, `Wait for it to finish, or run again without --no-wait to queue behind it.${elsewhere}`);
    if (Date.now() >= deadline)
      throw new PipelineError(
        `gave up waiting for ${path} after ${Math.round(options.timeoutMs / 1000)} s (held by ${who})`,
        elsewhere ? elsewhere.trim() : 'If that process is stuck, stop it; its lock is then recovered automatically.',
      );
    if (!toldWaiting) {
      options.notify(`waiting for another pipeline run to finish (${who})`);
      toldWaiting = true;
    }
    await sleep(100);
  }
}

function readHolder(path: string, nowMs: number): LockHolder | 'gone' | 'young' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'gone';
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (typeof holder.pid === 'number' && typeof holder.host === 'string') return holder;
  } catch {
    // fall through
  }
  // A run killed between creating the file and writing it leaves it empty; give a live writer a moment.
  try {
    return nowMs - statSync(path).mtimeMs > EMPTY_LOCK_GRACE_MS ? 'unreadable' : 'young';
  } catch {
    return 'gone';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
