/**
 * What a run would do, without running anything: per step, up to date, will restore (a published
 * file is put back), will run (and exactly why), or waiting on an upstream step that will run first
 * (its key is known only once that step has run; its own code, parameters and raw inputs are known
 * already, and when those changed it will run).
 */
import { relative } from 'node:path';
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';
import { ownComponents, ownPart, resolveStep } from './resolve.js';
import { familyOf, upstreamOf, type StepSpec } from './dag.js';
import { differences } from './reasons.js';
import { short } from './hash.js';
import { describeDrift, publishedDrift } from './publish.js';
import { latestManifest, pointerUnreadable, whyRun } from './run.js';
import { describeError } from './errors.js';

/** `will restore`: the step is cached, but a file it publishes differs from what it produced; the run puts it back. */
export type PlanState = 'up to date' | 'will restore' | 'will run' | 'waits' | 'error';

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
      try {
        const plan = waitingPlan(project, spec, waitingOn);
        plan.reasons.push(...publishedReasons(project, spec, latestManifest(project, spec.name), 'replaces it if the step runs'));
        plans.push(plan);
      } catch (error) {
        plans.push({ step: spec.name, state: 'error', key: null, reasons: [describeError(error)] });
      }
      continue;
    }
    try {
      const resolved = resolveStep(project, spec, upstream);
      const check = project.cache.check(spec.name, resolved.key);
      if (check.state === 'valid') {
        upstream.set(spec.name, check.manifest);
        // The published folder mirrors the latest entry; a reverted change serves an earlier one, whose files replace it.
        const latest = latestManifest(project, spec.name);
        const earlier = spec.publish && latest && latest.key !== resolved.key;
        const restore = publishedReasons(project, spec, latest ?? check.manifest, earlier ? `replaces it with what entry ${short(resolved.key)} holds` : 'puts back what the step produced');
        const switching = earlier ? [`the run publishes entry ${short(resolved.key)}, an earlier one, in place of the latest (${short(latest.key)}): ${differences(resolved.components, latest.components).join('; ')}`] : [];
        const pointer = project.cache.pointer(spec.name);
        const damaged = pointer.state === 'corrupt' ? [`${relative(project.root, project.cache.pointerPath(spec.name))} ${pointer.reason}: the run rewrites it`] : [];
        plans.push({ step: spec.name, state: restore.length ? 'will restore' : 'up to date', key: resolved.key, reasons: [...damaged, ...switching, ...restore] });
      } else {
        pending.add(spec.name);
        const reasons = check.state === 'corrupt' ? [`cache entry is corrupt: ${check.reason}`] : whyRun(project, spec.name, resolved);
        plans.push({ step: spec.name, state: 'will run', key: resolved.key, reasons: [...reasons, ...publishedReasons(project, spec, latestManifest(project, spec.name), 'replaces it')] });
      }
    } catch (error) {
      pending.add(spec.name);
      plans.push({ step: spec.name, state: 'error', key: null, reasons: [describeError(error)] });
    }
  }
  return plans;
}

/**
 * A step whose upstream steps run first has no key yet, but its own code, packages, parameters and raw
 * inputs are known: when they differ from its latest entry's, it runs whatever its upstream steps
 * produce, unless an earlier entry was made with exactly these (a reverted change).
 */
function waitingPlan(project: Project, spec: StepSpec, waitingOn: string[]): StepPlan {
  const now = ownComponents(project, spec);
  const pointer = project.cache.pointer(spec.name);
  const latest = pointer.state === 'valid' ? project.cache.readManifest(spec.name, pointer.key) : undefined;
  const own =
    pointer.state === 'corrupt'
      ? [pointerUnreadable(project, spec.name, pointer.reason)]
      : latest === undefined
        ? ['never run']
        : typeof latest === 'string'
          ? []
          : differences(now, ownPart(latest));
  if (own.length === 0)
    return { step: spec.name, state: 'waits', key: null, reasons: waitingOn.map((d) => `upstream "${d}" will run first; this step runs only if its outputs change`) };
  const earlier = project.cache.entries().find(({ step, key }) => {
    if (step !== familyOf(spec.name)) return false;
    const m = project.cache.readManifest(spec.name, key);
    return typeof m === 'object' && differences(now, ownPart(m)).length === 0;
  });
  const after = waitingOn.map((d) => `upstream "${d}" will run first`);
  if (!earlier) return { step: spec.name, state: 'will run', key: null, reasons: [...own, ...after] };
  return {
    step: spec.name,
    state: 'waits',
    key: null,
    reasons: [...own, ...after, `entry ${short(earlier.key)} was made with this code, these parameters and raw inputs: it is used again if the upstream outputs it read come back`],
  };
}

/** Published files that are not what the step's entry holds, each with what the run will do about it. */
function publishedReasons(project: Project, spec: StepSpec, manifest: Manifest | undefined, then: string): string[] {
  if (!spec.publish || !manifest) return [];
  return publishedDrift(project, spec.publish, manifest, false, spec.publishKeeps).map((d) => `${describeDrift(d, spec.name)}: the run ${d.state === 'stray' ? 'removes it' : then}`);
}
