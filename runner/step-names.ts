/**
 * Step names typed on the command line (targets, --only, --force, -S, explain): a declared step
 * (`correlate`, every branch) or one branch (`correlate[2013]`). An unknown one is a usage error
 * naming the nearest step, or the branches a step has.
 */
import { UsageError, didYouMean } from './args.js';
import type { Pipeline, StepSpec } from './dag.js';

/** The branches (or the step itself) a name stands for; a UsageError when it names nothing. */
export function stepsNamed(pipeline: Pipeline, name: string, where: string): StepSpec[] {
  const matching = pipeline.steps.filter((s) => s.name === name || s.family === name);
  if (matching.length) return matching;
  const family = /^([^[]+)\[/.exec(name)?.[1];
  const branches = family ? pipeline.steps.filter((s) => s.family === family) : [];
  if (branches.length)
    throw new UsageError(`${where}: step "${family}" has no branch "${name}"`, `Its branches (from the files on disk now): ${branches.map((s) => s.name).join(', ')}.`);
  const families = [...new Set(pipeline.steps.map((s) => s.family ?? s.name))];
  throw new UsageError(`${where}: no step named "${name}"`, didYouMean(name, [...families, ...pipeline.steps.map((s) => s.name)]) ?? `Steps: ${families.join(', ')}.`);
}

/** Checks every name; returns them unchanged. */
export function checkStepNames(pipeline: Pipeline, names: readonly string[], where: string): string[] {
  for (const name of names) stepsNamed(pipeline, name, where);
  return [...names];
}

/** A comma-separated list of steps (`--only a,b`); a comma inside a branch's brackets (`clean[2013,barnet]`) belongs to it. */
export function splitStepList(value: string): string[] {
  return value.split(/,(?![^[]*\])/).filter(Boolean);
}
