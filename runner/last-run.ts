/**
 * The last run, read back from derived/runs.ndjson: every step it touched with every reason it
 * gave (a run's own lines show a few per step). `status --last` prints it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from './project.js';
import { validator } from './validators.js';

/** One line of the run log (schemas/run-record.schema.json). */
export interface RunRecord {
  runId: string;
  step: string;
  status: 'cached' | 'ran' | 'failed' | 'skipped';
  key: string | null;
  startedAt: string;
  durationMs: number;
  reasons: string[];
  rows: number | null;
  earlyCutoff: boolean;
  error: string | null;
}

export interface LastRun {
  runId: string;
  records: RunRecord[];
  /** Lines of the log that are not run records (damaged): skipped, and named. */
  skipped: number[];
}

/** The records of the run that wrote the log's last line, in the order they were written; undefined before any run. */
export async function lastRun(project: Project): Promise<LastRun | undefined> {
  let text: string;
  try {
    text = readFileSync(join(project.derived, 'runs.ndjson'), 'utf8');
  } catch {
    return undefined;
  }
  const validate = await validator('run-record');
  const lines = text.split('\n');
  const records: RunRecord[] = [];
  const skipped: number[] = [];
  let runId: string | undefined;
  // From the end: runs hold the lock while they write, so a run's lines are never interleaved with another's.
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i]) continue;
    let record: unknown;
    try {
      record = JSON.parse(lines[i]!);
    } catch {
      record = undefined;
    }
    if (!validate(record)) {
      skipped.push(i + 1);
      continue;
    }
    const r = record as RunRecord;
    if (runId !== undefined && r.runId !== runId) break;
    runId = r.runId;
    records.push(r);
  }
  return runId === undefined ? undefined : { runId, records: records.reverse(), skipped: skipped.reverse() };
}

/** Every step the run did not simply serve from the cache, with all its reasons; cached steps are counted. */
export function formatLastRun(last: LastRun | undefined): string[] {
  if (!last) return ['no run yet: derived/runs.ndjson is empty or missing.'];
  const count = (s: RunRecord['status']) => last.records.filter((r) => r.status === s).length;
  const lines = [
    `last run ${last.runId}: ${last.records.length} steps: ${count('ran')} ran, ${count('cached')} cached, ${count('failed')} failed, ${count('skipped')} skipped`,
  ];
  for (const r of last.records) {
    if (r.status === 'cached' && r.reasons.length === 0) continue;
    lines.push(`${r.status.padEnd(7)} ${r.step}${r.earlyCutoff ? '  [outputs unchanged: downstream stayed cached]' : ''}`);
    for (const reason of r.reasons) lines.push(`          ${reason}`);
    if (r.error) lines.push(...r.error.split('\n').map((l) => `          ${l}`));
  }
  const quiet = last.records.filter((r) => r.status === 'cached' && r.reasons.length === 0).length;
  if (quiet) lines.push(`${quiet} other ${quiet === 1 ? 'step was' : 'steps were'} served from the cache.`);
  if (last.skipped.length) lines.push(`derived/runs.ndjson: ${last.skipped.length === 1 ? 'line' : 'lines'} ${last.skipped.join(', ')} ${last.skipped.length === 1 ? 'is' : 'are'} not a run record and ${last.skipped.length === 1 ? 'was' : 'were'} skipped.`);
  return lines;
}
