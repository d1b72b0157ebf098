/**
 * `run -n`: what `run` with the same selection would do, and why, computed as `status` does
 * (nothing is run, locked or written). Forcing and --only are applied to the plan afterwards:
 * a forced step will run, and what reads it waits on it.
 */
import { upstreamOf, withUpstream } from './dag.js';
import type { Project } from './project.js';
import { planRun, type StepPlan } from './status.js';

export interface DryRunOptions {
  targets: string[];
  only?: string[];
  force: boolean | string[];
}

export function planDryRun(project: Project, options: DryRunOptions): StepPlan[] {
  const targets = [...options.targets, ...(options.only ?? [])];
  const selected = new Set((targets.length ? withUpstream(project.pipeline, targets) : project.pipeline.steps).map((s) => s.name));
  const named = (list: readonly string[], name: string) => {
    const spec = project.pipeline.steps.find((s) => s.name === name)!;
    return list.includes(name) || (spec.family !== undefined && list.includes(spec.family));
  };
  const forced = (name: string) => options.force === true || (Array.isArray(options.force) && named(options.force, name));
  // As in status: a step downstream of one that will run waits on it (its key is known only then).
  const pending = new Set<string>();
  const plans: StepPlan[] = [];
  for (const plan of planRun(project).filter((p) => selected.has(p.step))) {
    const spec = project.pipeline.steps.find((s) => s.name === plan.step)!;
    const waitingOn = upstreamOf(spec).filter((u) => pending.has(u));
    let p = plan;
    if (forced(p.step)) p = { ...p, state: 'will run', reasons: ['forced'] };
    else if (options.only && !named(options.only, p.step) && p.state !== 'up to date')
      p = { ...p, state: 'error', reasons: [`not up to date, so --only ${options.only.join(',')} cannot use its outputs`, ...p.reasons] };
    else if (waitingOn.length && p.state !== 'error')
      p = { ...p, state: 'waits', key: null, reasons: waitingOn.map((u) => `upstream "${u}" will run first; this step runs only if its outputs change`) };
    if (p.state !== 'up to date') pending.add(p.step);
    plans.push(p);
  }
  return plans;
}
