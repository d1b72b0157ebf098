/**
 * Audits the cache: re-hashes every output of every entry against its manifest (ignoring the
 * remembered stats), and optionally recomputes the pipeline's current entries from their recorded
 * inputs to show that each step reproduces its outputs byte for byte.
 */
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';
import { publishedDrift, describeDrift, type PublishedDrift } from './publish.js';
import { resolveStep } from './resolve.js';
import { computeOutputs } from './run.js';
import { describeError } from './errors.js';
import { short } from './hash.js';

export interface VerifyReport {
  checked: number;
  corrupt: Array<{ step: string; key: string; reason: string }>;
  /** Published files that differ from the outputs of the entry they mirror (the step's latest). */
  published: Array<PublishedDrift & { step: string; reason: string }>;
  recomputed: Array<{ step: string; key: string; identical: boolean; differing: string[]; error?: string }>;
}

export async function verifyCache(project: Project, options: { recompute: boolean }): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, corrupt: [], published: [], recomputed: [] };
  for (const { step, key } of project.cache.entries()) {
    report.checked++;
    const check = project.cache.check(step, key, true);
    if (check.state !== 'valid') report.corrupt.push({ step, key, reason: check.state === 'corrupt' ? check.reason : 'missing' });
  }
  for (const spec of project.pipeline.steps) {
    const key = spec.publish && project.cache.latest(spec.name);
    const manifest = key ? project.cache.readManifest(spec.name, key) : undefined;
    if (!spec.publish || typeof manifest !== 'object') continue;
    for (const d of publishedDrift(project, spec.publish, manifest, true)) report.published.push({ step: spec.name, ...d, reason: describeDrift(d, spec.name) });
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
  for (const p of report.published) lines.push(`${p.state === 'stray' ? 'stray  ' : 'differs'}  ${p.reason}`);
  for (const r of report.recomputed)
    lines.push(`${r.identical ? 'same   ' : 'DIFFERS'}  ${r.step}/${short(r.key)}${r.error ? `: ${r.error}` : r.differing.length ? `: ${r.differing.join(', ')}` : ''}`);
  const differ = report.recomputed.filter((r) => !r.identical).length;
  lines.push(
    `verified ${report.checked} entries: ${report.corrupt.length} corrupt; ${report.published.length} published ${report.published.length === 1 ? 'file differs' : 'files differ'} from ${report.published.length === 1 ? 'its step' : 'their steps'}` +
      (recompute ? `; recomputed ${report.recomputed.length} steps, ${differ} differ` : ''),
  );
  if (report.corrupt.length) lines.push('Corrupt entries are never served: the next run recomputes them (or run gc to drop them).');
  if (report.published.length) lines.push('The next run puts back what each step produced (and removes files no step produces); copy away any edit you want to keep.');
  return { lines, code: report.corrupt.length + report.published.length + differ ? 1 : 0 };
}
