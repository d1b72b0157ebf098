import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLock, EMPTY_LOCK_GRACE_MS, type LockOptions } from '../../runner/lock.js';
import { PipelineError } from '../../runner/errors.js';

const repo = new URL('../..', import.meta.url).pathname;
const test = suite<{ dir: string; path: string; notes: string[] }>('lock');
let counter = 0;
test.before.each((ctx) => {
  ctx.dir = join(repo, 'test', '.tmp', `lock-${process.pid}-${++counter}`);
  rmSync(ctx.dir, { recursive: true, force: true });
  mkdirSync(ctx.dir, { recursive: true });
  ctx.path = join(ctx.dir, '.lock');
  ctx.notes = [];
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const options = (notes: string[], more: Partial<LockOptions> = {}): LockOptions => ({
  wait: false,
  timeoutMs: 0,
  command: 'pipeline run',
  notify: (m) => notes.push(m),
  sleep: async () => {},
  ...more,
});

/** A pid that is not running here: a process that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

async function refusal(work: Promise<unknown>): Promise<PipelineError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof PipelineError) return error;
    throw error;
  }
  throw new Error('the lock was taken');
}

test('a lock naming another host is never taken as stale from this host, however old, and the message says what to do', async ({ path, notes }) => {
  const holder = { pid: deadPid(), host: `not-${hostname()}`, startedAt: '2020-01-01T00:00:00.000Z', command: 'pipeline run' };
  writeFileSync(path, JSON.stringify(holder));
  const refused = await refusal(acquireLock(path, options(notes)));
  assert.match(refused.message, `another pipeline run holds ${path} (pid ${holder.pid} on not-${hostname()}`);
  assert.match(refused.hint ?? '', `never taken over from this one: if no run is going on not-${hostname()}, delete ${path} by hand`);
  const timedOut = await refusal(acquireLock(path, options(notes, { wait: true })));
  assert.match(timedOut.message, 'gave up waiting');
  assert.equal(JSON.parse(readFileSync(path, 'utf8')), holder);
  assert.equal(notes.filter((n) => n.startsWith('recovered')), []);
});

test('the same lock naming this host and a process that is gone is recovered', async ({ path, notes }) => {
  writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '2020-01-01T00:00:00.000Z', command: 'pipeline run' }));
  const lock = await acquireLock(path, options(notes));
  assert.match(notes.join('\n'), 'left by a run that is no longer running');
  lock.release();
  assert.not.ok(existsSync(path));
});

test('an empty lock file within its grace period is not taken over: its writer may still be writing it', async ({ path, notes }) => {
  writeFileSync(path, '');
  const created = new Date('2026-01-01T00:00:00.000Z');
  utimesSync(path, created, created);
  const writer = { pid: process.ppid, host: hostname(), startedAt: created.toISOString(), command: 'pipeline run' };
  let sleeps = 0;
  const refused = await refusal(
    acquireLock(path, {
      ...options(notes),
      now: () => new Date(created.getTime() + EMPTY_LOCK_GRACE_MS / 2),
      // While this run waits, the other run finishes writing its lock.
      sleep: async () => {
        if (++sleeps === 1) writeFileSync(path, JSON.stringify(writer));
      },
    }),
  );
  assert.match(refused.message, `another pipeline run holds ${path} (pid ${process.ppid}`);
  assert.is(sleeps, 1);
  assert.equal(notes, []);
});

test('an empty lock file older than its grace period is recovered as left half-written', async ({ path, notes }) => {
  writeFileSync(path, '');
  const created = new Date('2026-01-01T00:00:00.000Z');
  utimesSync(path, created, created);
  const lock = await acquireLock(path, { ...options(notes), now: () => new Date(created.getTime() + EMPTY_LOCK_GRACE_MS + 1) });
  assert.match(notes.join('\n'), 'left half-written by a run that was killed');
  lock.release();
});

test('releasing never removes a lock that another process, or another run of this process, now holds', async ({ path, notes }) => {
  const lock = await acquireLock(path, options(notes));
  // Taken over meanwhile (e.g. by a run that judged this one gone): the file is now the other run's.
  const other = { pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'pipeline run' };
  writeFileSync(path, JSON.stringify(other));
  lock.release();
  assert.equal(JSON.parse(readFileSync(path, 'utf8')), other);

  rmSync(path);
  const first = await acquireLock(path, options(notes));
  rmSync(path); // as if recovered by another run in this same process
  const second = await acquireLock(path, options(notes));
  first.release();
  assert.ok(existsSync(path), "the first run's release left the second run's lock alone");
  second.release();
  assert.not.ok(existsSync(path));
});

test.run();
