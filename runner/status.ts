/**
 * What a run would do, without running anything: per step, up to date, will run (and exactly why),
 * or waiting on an upstream step that will run first (its key is known only once that step has run).
 */
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';
import { resolveStep } from './resolve.js';
import { upstreamOf } from './dag.js';
import { whyRun } from './run.js';
import { describeError } from './errors.js';

export type PlanState = 'up to date' | 'will run' | 'waits' | 'error';

export interface StepPlan {
  step: string;
  state: PlanState;
  key: string | null;
  reasons: string[];
}

export function planRun(project: Project): StepPlan[] {
  const upstream = new Map<string, Manifest>();
  const pending = new Set<string>();
  const plans: StepPlan[] = [];
  for (const spec of project.pipeline.steps) {
    const waitingOn = upstreamOf(spec).filter((d) => pending.has(d));
    if (waitingOn.length) {
      pending.add(spec.name);
      plans.push({
        step: spec.name,
        state: 'waits',
        key: null,
        reasons: waitingOn.map((d) => `upstream "${d}" will run first; this step runs only if its outputs change`),
      });
      continue;
    }
    try {
      const resolved = resolveStep(project, spec, upstream);
      const check = project.cache.check(spec.name, resolved.key);
      if (check.state === 'valid') {
        upstream.set(spec.name, check.manifest);
        plans.push({ step: spec.name, state: 'up to date', key: resolved.key, reasons: [] });
      } else {
        pending.add(spec.name);
        const reasons = check.state === 'corrupt' ? [`cache entry is corrupt: ${check.reason}`] : whyRun(project, spec.name, resolved);
        plans.push({ step: spec.name, state: 'will run', key: resolved.key, reasons });
      }
    } catch (error) {
      pending.add(spec.name);
      plans.push({ step: spec.name, state: 'error', key: null, reasons: [describeError(error)] });
    }
  }
  return plans;
}
