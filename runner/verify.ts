/**
 * Audits the cache: re-hashes every output of every entry against its manifest (ignoring the
 * remembered stats) and checks every other file the cache trusts: the latest-entry pointers, the
 * remembered hashes in derived/.state.json and the published files. Optionally recomputes the
 * pipeline's current entries from their recorded inputs to show that each step reproduces its
 * outputs byte for byte. (The launcher checks the compiled runner in derived/.build/ itself.)
 */
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';
import { publishedDrift, describeDrift, type PublishedDrift } from './publish.js';
import { resolveStep } from './resolve.js';
import { computeOutputs } from './run.js';
import { describeError } from './errors.js';
import { short } from './hash.js';
import { readPointer } from './cache.js';
import { relative } from 'node:path';

export interface VerifyReport {
  checked: number;
  corrupt: Array<{ step: string; key: string; reason: string }>;
  /** Latest-entry pointers that hold no key, or name an entry that is not in the cache. */
  pointers: Array<{ step: string; path: string; reason: string }>;
  /** Remembered file hashes (derived/.state.json) that were wrong; each is corrected. */
  state: Array<{ path: string; reason: string }>;
  /** Published files that differ from the outputs of the entry they mirror (the step's latest). */
  published: Array<PublishedDrift & { step: string; reason: string }>;
  recomputed: Array<{ step: string; key: string; identical: boolean; differing: string[]; error?: string }>;
}

export async function verifyCache(project: Project, options: { recompute: boolean }): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, corrupt: [], pointers: [], state: [], published: [], recomputed: [] };
  // The remembered hashes first: every one that would be trusted is re-read and corrected, so that
  // what follows may use them (each file is then read once).
  const statePath = relative(project.root, project.files.statePath);
  if (project.files.unreadable) report.state.push({ path: statePath, reason: `${statePath} could not be used (${project.files.unreadable}); it is rebuilt` });
  for (const wrong of project.files.audit()) report.state.push({ path: wrong.path, reason: `${wrong.path} is remembered in ${statePath} ${wrong.reason}; corrected` });
  for (const { step, key } of project.cache.entries()) {
    report.checked++;
    const check = project.cache.check(step, key);
    if (check.state !== 'valid') report.corrupt.push({ step, key, reason: check.state === 'corrupt' ? check.reason : 'missing' });
  }
  for (const [step, path] of project.cache.latestPointers()) {
    const pointer = readPointer(path);
    const where = relative(project.root, path);
    if (pointer.state === 'corrupt') report.pointers.push({ step, path: where, reason: `${where} ${pointer.reason}` });
    else if (pointer.state === 'valid' && project.cache.readManifest(step, pointer.key) === undefined)
      report.pointers.push({ step, path: where, reason: `${where} names entry ${short(pointer.key)}, which is not in the cache` });
  }
  for (const spec of project.pipeline.steps) {
    const key = spec.publish && project.cache.latest(spec.name);
    const manifest = key ? project.cache.readManifest(spec.name, key) : undefined;
    if (!spec.publish || typeof manifest !== 'object') continue;
    for (const d of publishedDrift(project, spec.publish, manifest, true, spec.publishKeeps)) report.published.push({ step: spec.name, ...d, reason: describeDrift(d, spec.name) });
  }
  if (options.recompute) {
    const upstream = new Map<string, Manifest>();
    for (const spec of project.pipeline.steps) {
      let resolved;
      try {
        resolved = resolveStep(project, spec, upstream);
      } catch {
        break; // An upstream step is not current: nothing further down can be recomputed.
      }
      const check = project.cache.check(spec.name, resolved.key);
      if (check.state !== 'valid') break;
      upstream.set(spec.name, check.manifest);
      try {
        const records = await computeOutputs(project, resolved);
        const before = new Map(check.manifest.outputs.map((o) => [o.name, o.hash]));
        const now = new Map(records.map((o) => [o.name, o.hash]));
        const differing = [...new Set([...before.keys(), ...now.keys()])].filter((n) => before.get(n) !== now.get(n)).sort();
        report.recomputed.push({ step: spec.name, key: resolved.key, identical: differing.length === 0, differing });
      } catch (error) {
        report.recomputed.push({ step: spec.name, key: resolved.key, identical: false, differing: [], error: describeError(error) });
      }
    }
  }
  project.saveState();
  return report;
}

/** The report as printed lines, and the exit code: 1 on anything that is not what it should be. */
export function formatVerify(report: VerifyReport, recompute: boolean): { lines: string[]; code: number } {
  const lines: string[] = [];
  for (const c of report.corrupt) lines.push(`corrupt  ${c.step}/${short(c.key)}: ${c.reason}`);
  for (const p of report.pointers) lines.push(`corrupt  ${p.reason}`);
  for (const f of report.state) lines.push(`wrong    ${f.reason}`);
  for (const p of report.published) lines.push(`${p.state === 'stray' ? 'stray  ' : 'differs'}  ${p.reason}`);
  for (const r of report.recomputed)
    lines.push(`${r.identical ? 'same   ' : 'DIFFERS'}  ${r.step}/${short(r.key)}${r.error ? `: ${r.error}` : r.differing.length ? `: ${r.differing.join(', ')}` : ''}`);
  const differ = report.recomputed.filter((r) => !r.identical).length;
  const count = (n: number, one: string, many: string) => (n ? [`${n} ${n === 1 ? one : many}`] : []);
  // Pointers, remembered hashes and published files are named only when one is wrong.
  const parts = [
    `${report.corrupt.length} corrupt`,
    ...count(report.pointers.length, 'bad pointer', 'bad pointers'),
    ...count(report.state.length, 'wrong remembered hash', 'wrong remembered hashes'),
    ...count(report.published.length, 'published file differs from its step', 'published files differ from their steps'),
  ];
  lines.push(`verified ${report.checked} entries: ${parts.join('; ')}${recompute ? `; recomputed ${report.recomputed.length} steps, ${differ} differ` : ''}`);
  if (report.corrupt.length) lines.push('Corrupt entries are never served: the next run recomputes them (or run gc to drop them).');
  if (report.pointers.length) lines.push('A bad pointer is rewritten by the next run of its step; until then status cannot say what changed for it.');
  if (report.published.length) lines.push('The next run puts back what each step produced (and removes files no step produces); copy away any edit you want to keep.');
  return { lines, code: report.corrupt.length + report.pointers.length + report.state.length + report.published.length + differ ? 1 : 0 };
}
