/**
 * Fan-out: turns the declared pipeline into concrete branches, one per wildcard value found on disk
 * (e.g. `clean[2013]`, `clean[2014]` for each wave folder under raw/). A new wave therefore adds
 * branches whose keys are new, while every earlier branch keeps its key and its cache entry.
 *
 * Each branch reads the raw files of its own values, and the outputs of upstream branches whose
 * shared wildcards agree with its own; a step that does not fan out over a wildcard gathers all
 * branches of that wildcard, in value order.
 */
import { namesIn, type InputSpec, type Pipeline, type StepSpec, type WildcardRules } from './dag.js';
import { PipelineError } from './errors.js';
import { filesByValues, type Glob, type Values } from './wildcard-rules.js';

export type { Values };

/** Finds every combination of values a wildcard pattern takes, given a glob function, checked against its rules. */
export function discoverValues(pattern: string, glob: Glob, rules?: WildcardRules): Values[] {
  const names = namesIn(pattern);
  return filesByValues(pattern, glob, rules)
    .map((f) => f.values)
    .sort((a, b) => compareValues(a, b, names));
}

const collator = new Intl.Collator('en', { numeric: true });
function compareValues(a: Values, b: Values, names: string[]): number {
  for (const n of names) {
    const c = collator.compare(a[n]!, b[n]!);
    if (c) return c;
  }
  return 0;
}

/** The branches of every step, in pipeline order; steps without forEach stay as they are. */
export function expandPipeline(declared: Pipeline, glob: Glob): Pipeline {
  // Each wildcard name's combinations, grouped by the pattern that defines it.
  const combos = declared.wildcards.map((pattern) => ({ names: namesIn(pattern), values: discoverValues(pattern, glob, declared.wildcardRules?.[pattern]), pattern }));
  const branchesOf = new Map<string, StepSpec[]>();
  const steps: StepSpec[] = [];
  for (const spec of declared.steps) {
    const branches = (spec.forEach?.length ? combinationsFor(spec, combos) : [undefined]).map((values) => branch(spec, values, branchesOf));
    branchesOf.set(spec.name, branches);
    steps.push(...branches);
  }
  return { ...declared, steps };
}

function combinationsFor(spec: StepSpec, combos: Array<{ names: string[]; values: Values[]; pattern: string }>): Values[] {
  let result: Values[] = [{}];
  for (const { names, values, pattern } of combos) {
    const used = names.filter((n) => spec.forEach!.includes(n));
    if (!used.length) continue;
    const distinct = new Map<string, Values>();
    for (const v of values) {
      const picked = Object.fromEntries(used.map((n) => [n, v[n]!]));
      distinct.set(JSON.stringify(picked), picked);
    }
    if (!distinct.size) throw new PipelineError(`step "${spec.name}" fans out over ${used.join(', ')}, but ${pattern} matches no file`);
    result = result.flatMap((r) => [...distinct.values()].map((d) => ({ ...r, ...d })));
  }
  return result;
}

function branch(spec: StepSpec, values: Values | undefined, branchesOf: Map<string, StepSpec[]>): StepSpec {
  const name = values ? `${spec.name}[${spec.forEach!.map((n) => values[n]).join(',')}]` : spec.name;
  const inputs: Record<string, InputSpec[]> = {};
  for (const [key, list] of Object.entries(spec.inputs)) {
    inputs[key] = list.flatMap((input): InputSpec[] => {
      if (input.kind === 'raw') {
        const glob = input.glob.replace(/\{([a-z][a-z0-9_]*)\}/g, (_, n: string) => values![n]!);
        return [input.versionedBy !== undefined ? { ...input, glob, version: values![input.versionedBy]! } : { ...input, glob }];
      }
      // `{name}` in an output's file name: the part written for this branch's value.
      if (input.kind === 'output' && namesIn(input.file).length) input = { ...input, file: input.file.replace(/\{([a-z][a-z0-9_]*)\}/g, (_, n: string) => values![n]!) };
      const upstream = branchesOf.get(input.step) ?? [];
      if (input.previous) {
        // The branches of the value before the reader's own (the wave before this one); upstream
        // branches are in value order, and may fan out over more wildcards than the reader (areas).
        if (!values) throw new PipelineError(`step "${name}" reads the previous branch of ${input.step}, so it must fan out itself`);
        const names = Object.keys(values);
        const keyOf = (u: StepSpec) => JSON.stringify(names.map((n) => u.wildcards?.[n]));
        const keys = [...new Set(upstream.map(keyOf))];
        const own = keys.indexOf(JSON.stringify(names.map((n) => values[n])));
        if (own < 0) throw new PipelineError(`step "${name}" reads the previous branch of ${input.step}, which does not fan out over ${names.join(', ')}`);
        return own === 0 ? [] : upstream.filter((u) => keyOf(u) === keys[own - 1]).map((u) => ({ ...input, step: u.name }));
      }
      const matching = upstream.filter((u) => agrees(u.wildcards, values));
      if (!matching.length)
        throw new PipelineError(`step "${name}" reads ${input.step}, which has no branch for ${JSON.stringify(values ?? {})}`);
      return matching.map((u) => ({ ...input, step: u.name }));
    });
  }
  return { ...spec, name, inputs, family: spec.name, ...(values ? { wildcards: values } : {}) };
}

/** An upstream branch feeds a reader when they agree on every wildcard both have. */
function agrees(upstream: Values | undefined, reader: Values | undefined): boolean {
  if (!upstream || !reader) return true;
  return Object.entries(upstream).every(([n, v]) => !(n in reader) || reader[n] === v);
}
