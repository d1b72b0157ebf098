/**
 * Audits the cache: re-hashes every output of every entry against its manifest (ignoring the
 * remembered stats), and optionally recomputes the pipeline's current entries from their recorded
 * inputs to show that each step reproduces its outputs byte for byte.
 */
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';
import { resolveStep } from './resolve.js';
import { computeOutputs } from './run.js';
import { describeError } from './errors.js';

export interface VerifyReport {
  checked: number;
  corrupt: Array<{ step: string; key: string; reason: string }>;
  recomputed: Array<{ step: string; key: string; identical: boolean; differing: string[]; error?: string }>;
}

export async function verifyCache(project: Project, options: { recompute: boolean }): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, corrupt: [], recomputed: [] };
  for (const { step, key } of project.cache.entries()) {
    report.checked++;
    const check = project.cache.check(step, key, true);
    if (check.state !== 'valid') report.corrupt.push({ step, key, reason: check.state === 'corrupt' ? check.reason : 'missing' });
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
