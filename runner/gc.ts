/**
 * Drops cache entries the pipeline no longer refers to. Kept: each step's entry for its current key
 * (where that can be computed) and its latest entry; leftovers of killed runs are swept too.
 */
import { rmSync } from 'node:fs';
import { familyOf } from './dag.js';
import type { Project } from './project.js';
import { planRun } from './status.js';

export interface GcReport {
  kept: Array<{ step: string; key: string }>;
  removed: Array<{ step: string; key: string }>;
  temporaries: string[];
}

export function collectGarbage(project: Project, options: { dryRun: boolean }): GcReport {
  const keep = new Set<string>();
  for (const plan of planRun(project)) if (plan.key) keep.add(`${familyOf(plan.step)}/${plan.key}`);
  for (const spec of project.pipeline.steps) {
    const latest = project.cache.latest(spec.name);
    if (latest) keep.add(`${familyOf(spec.name)}/${latest}`);
  }
  const report: GcReport = { kept: [], removed: [], temporaries: [] };
  for (const entry of project.cache.entries()) {
    if (keep.has(`${entry.step}/${entry.key}`)) report.kept.push(entry);
    else {
      report.removed.push(entry);
      if (!options.dryRun) project.cache.discard(entry.step, entry.key);
    }
  }
  if (!options.dryRun) {
    report.temporaries = project.cache.sweepTemporaries();
    // A branch that left the pipeline (a wave removed from raw/) is forgotten, so it would count as new.
    const current = new Set(project.pipeline.steps.map((s) => s.name));
    for (const [step, path] of project.cache.latestPointers()) if (!current.has(step)) rmSync(path, { force: true });
  }
  project.saveState();
  return report;
}
