/**
 * The pipeline as data: steps, what each reads, and the order they run in.
 *
 * `pipeline.ts` builds a `Pipeline` with `step()`, `raw()` and `output()`; the runner checks it
 * (unique names, known upstream steps, no cycles) and derives everything else from it.
 */
import { PipelineError } from './errors.js';

/** Files matched by a glob, relative to the project (e.g. `raw/*\/*.csv`), sorted by path. */
export interface RawInput {
  kind: 'raw';
  glob: string;
  /**
   * Versioned by a wildcard: `raw('codebooks/{area}.json', { versionedBy: 'wave' })` reads, per branch,
   * `codebooks/<area>.<v>.json` for the greatest v at or before the branch's value, or
   * `codebooks/<area>.json` when no such version exists. A branch's key then holds only the version
   * that applies to it, so a new version leaves earlier branches cached.
   */
  versionedBy?: string;
  /** In an expanded pipeline: the branch's value of `versionedBy`. */
  version?: string;
  /** Match file names whatever their case (`raw/2013/Barnet.CSV` for `raw/2013/barnet.csv`). */
  ignoreCase?: boolean;
}

/**
 * A file written by another step (e.g. `clean`'s `records.arrow`). `{name}` in the file name is replaced
 * by the reading branch's value of that wildcard (`output('setup', 'parts/{area}.json')`), so a branch
 * reads, and its key holds, only its own part of a step that writes one file per value.
 */
export interface StepOutputInput {
  kind: 'output';
  step: string;
  file: string;
  /**
   * For a branch of a step fanned out over the same wildcard: read the upstream branch of the
   * previous value (the wave before this one) instead of the same one; the first branch gets none.
   */
  previous?: boolean;
}

/**
 * The audit record of another step's current entry (`<step>:provenance.json`): its cache key, code
 * fingerprint, packages, parameters, input and output hashes — everything but run times, so it is
 * deterministic. A step reading it re-runs whenever that entry's key changes, even when its outputs
 * do not: use it only where the provenance itself is reported.
 */
export interface ProvenanceInput {
  kind: 'provenance';
  step: string;
  /** As for outputs: the previous branch of the same wildcard. */
  previous?: boolean;
}

export type InputSpec = RawInput | StepOutputInput | ProvenanceInput;

export interface StepSpec {
  /** The step's name; for one branch of a fanned-out step, `family[value,…]` (e.g. `clean[2013]`). */
  name: string;
  /**
   * Wildcards this step fans out over (names from the pipeline's `wildcards`): one branch per value,
   * like Snakemake's wildcards or targets' dynamic branching. `{name}` in a raw glob is replaced by the
   * branch's value; an output of a fanned-out step read by a step that does not fan out over the same
   * wildcard gathers every branch.
   */
  forEach?: string[];
  /** In an expanded pipeline: the declared step this branch belongs to, and its wildcard values. */
  family?: string;
  wildcards?: Record<string, string>;
  /** What the step does, in one line, for `dag` and `explain`. */
  description: string;
  /** The module whose default export computes the step, relative to the project (e.g. `steps/clean.ts`). */
  module: string;
  inputs: Record<string, InputSpec[]>;
  /** The parameters' default values, handed to the step's function (and part of its cache key). */
  params: unknown;
  /**
   * JSON Schemas of (some of) the parameters, by name: type, allowed values, range, description. A
   * parameter not described here is typed by its default. `-S step.param=value` is checked against it.
   */
  paramSchema?: Record<string, Record<string, unknown>>;
  /** Parameters set on the command line for this run that differ from the defaults, by path. */
  overrides?: Record<string, unknown>;
  /** A folder (e.g. `reports`) that mirrors this step's outputs after each run; the pipeline owns its content. */
  publish?: string;
  /** Files in the publish folder that other commands write (e.g. `paper.pdf`) and publishing leaves in place. */
  publishKeeps?: string[];
}

export interface Pipeline {
  steps: StepSpec[];
  /**
   * Patterns whose `{name}` parts define wildcard values, found on disk: `raw/{wave}/*.csv` makes
   * one value of `wave` per folder holding a CSV. Names in one pattern vary together.
   */
  wildcards: string[];
  /** Rules for the files a wildcard pattern finds, by pattern (wildcard-rules.ts). */
  wildcardRules?: Record<string, WildcardRules>;
}

/** Allowed values listed in a project file: `values` picks them from the file's parsed JSON. */
export interface AllowedFromFile {
  file: string;
  values: (json: unknown) => readonly string[];
}

/**
 * What the files found by a wildcard pattern must be. Without rules any file the pattern matches makes
 * a value; with them the files are checked before any step runs, and a file that breaks a rule is a
 * PipelineError naming it.
 */
export interface WildcardRules {
  /** Names matched whatever their case; values are lowercased (`Barnet.CSV` gives the value `barnet`). */
  ignoreCase?: boolean;
  /**
   * The values each wildcard may take: a list, a pattern the whole value must match, or a list read from
   * a JSON file of the project when it is opened (e.g. the areas a study description names).
   */
  allowed?: Record<string, readonly string[] | RegExp | AllowedFromFile>;
  /** Each combination of values comes from one file: a second file giving the same values is an error naming both. */
  unique?: boolean;
  /** Every file in the pattern's folders must match it (a file in another format is an error, not ignored). */
  noOtherFiles?: boolean;
}

export const raw = (glob: string, options: { versionedBy?: string; ignoreCase?: boolean } = {}): RawInput => ({
  kind: 'raw',
  glob,
  ...(options.versionedBy ? { versionedBy: options.versionedBy } : {}),
  ...(options.ignoreCase ? { ignoreCase: true } : {}),
});
export const output = (step: string, file: string, options: { previous?: boolean } = {}): StepOutputInput =>
  options.previous ? { kind: 'output', step, file, previous: true } : { kind: 'output', step, file };
export const provenance = (step: string, options: { previous?: boolean } = {}): ProvenanceInput =>
  options.previous ? { kind: 'provenance', step, previous: true } : { kind: 'provenance', step };

export function step(
  name: string,
  spec: Omit<StepSpec, 'name' | 'inputs' | 'params'> & { inputs: Record<string, InputSpec | InputSpec[]>; params?: unknown },
): StepSpec {
  const inputs: Record<string, InputSpec[]> = {};
  for (const [key, value] of Object.entries(spec.inputs)) inputs[key] = Array.isArray(value) ? value : [value];
  return { ...spec, name, inputs, params: spec.params ?? {} };
}

/** Checks the declaration and returns its steps in a stable topological order (declaration order among equals). */
export function definePipeline(steps: StepSpec[], options: { wildcards?: string[]; wildcardRules?: Record<string, WildcardRules> } = {}): Pipeline {
  const wildcards = options.wildcards ?? [];
  for (const pattern of Object.keys(options.wildcardRules ?? {}))
    if (!wildcards.includes(pattern)) throw new PipelineError(`wildcardRules name ${pattern}, which is not one of the pipeline's wildcards`);
  const declaredNames = new Set(wildcards.flatMap(namesIn));
  const names = new Set<string>();
  for (const s of steps) {
    if (!/^[a-z][a-z0-9-]*$/.test(s.name))
      throw new PipelineError(`step name "${s.name}" must be lowercase letters, digits and dashes`);
    if (names.has(s.name)) throw new PipelineError(`step "${s.name}" is declared twice`);
    names.add(s.name);
    if (s.forEach?.length && s.publish)
      throw new PipelineError(`step "${s.name}" fans out and publishes: its branches would overwrite each other in ${s.publish}/`, 'Publish from a step that gathers the branches.');
    for (const w of s.forEach ?? [])
      if (!declaredNames.has(w)) throw new PipelineError(`step "${s.name}" fans out over "${w}", which no pattern in the pipeline's wildcards defines`);
    for (const list of Object.values(s.inputs))
      for (const i of list)
        if (i.kind === 'output') {
          for (const w of namesIn(i.file))
            if (!(s.forEach ?? []).includes(w))
              throw new PipelineError(`step "${s.name}" reads ${i.step}:${i.file}, but does not fan out over "${w}"`, `Add forEach: ['${w}'] to the step, or remove {${w}} from the file name.`);
        } else if (i.kind === 'raw') {
          for (const w of namesIn(i.glob))
            if (!(s.forEach ?? []).includes(w))
              throw new PipelineError(`step "${s.name}" reads ${i.glob}, but does not fan out over "${w}"`, `Add forEach: ['${w}'] to the step, or remove {${w}} from the glob.`);
          if (i.versionedBy !== undefined && !(s.forEach ?? []).includes(i.versionedBy))
            throw new PipelineError(`step "${s.name}" reads ${i.glob} versioned by "${i.versionedBy}", but does not fan out over it`, `Add '${i.versionedBy}' to the step's forEach.`);
          if (i.versionedBy !== undefined && /[*?[\]{}]/.test(i.glob.replace(/\{[a-z][a-z0-9_]*\}/g, '')))
            throw new PipelineError(`step "${s.name}" reads ${i.glob} versioned by "${i.versionedBy}": a versioned input names one file (wildcards in braces only), not a glob`);
        }
  }
  for (const s of steps)
    for (const dep of upstreamOf(s))
      if (!names.has(dep)) {
        const close = [...names].find((n) => n.startsWith(dep.slice(0, 3)));
        throw new PipelineError(
          `step "${s.name}" reads an output of "${dep}", which is not a step of this pipeline`,
          close ? `Do you mean "${close}"?` : undefined,
        );
      }
  return { steps: topologicalOrder(steps), wildcards, ...(options.wildcardRules ? { wildcardRules: options.wildcardRules } : {}) };
}

/** `{wave}` and `{area}` in `raw/{wave}/{area}.csv` (not `{csv,sav}`, a choice of spellings). */
export function namesIn(pattern: string): string[] {
  return [...pattern.matchAll(/\{([a-z][a-z0-9_]*)\}/g)].map((m) => m[1]!);
}

/** The declared step a branch belongs to: `clean` for `clean[2013]`. */
export const familyOf = (name: string) => name.replace(/\[.*\]$/, '');

/** Names of the steps whose outputs `s` reads, sorted. */
export function upstreamOf(s: StepSpec): string[] {
  const deps = new Set<string>();
  for (const list of Object.values(s.inputs)) for (const i of list) if (i.kind !== 'raw') deps.add(i.step);
  return [...deps].sort();
}

function topologicalOrder(steps: StepSpec[]): StepSpec[] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting: string[] = [];
  const order: StepSpec[] = [];
  const visit = (s: StepSpec) => {
    if (done.has(s.name)) return;
    const at = visiting.indexOf(s.name);
    if (at >= 0) throw new PipelineError(`the pipeline has a cycle: ${[...visiting.slice(at), s.name].join(' → ')}`);
    visiting.push(s.name);
    for (const dep of upstreamOf(s)) visit(byName.get(dep)!);
    visiting.pop();
    done.add(s.name);
    order.push(s);
  };
  steps.forEach(visit);
  return order;
}

/** The named steps and everything upstream of them, in pipeline order. */
export function withUpstream(pipeline: Pipeline, targets: string[]): StepSpec[] {
  const byName = new Map(pipeline.steps.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    upstreamOf(byName.get(name)!).forEach(add);
  };
  for (const t of targets) {
    const matching = pipeline.steps.filter((s) => s.name === t || s.family === t);
    if (!matching.length)
      throw new PipelineError(`no step named "${t}"`, `Steps: ${[...new Set(pipeline.steps.map((s) => s.family ?? s.name))].join(', ')}`);
    matching.forEach((s) => add(s.name));
  }
  return pipeline.steps.filter((s) => wanted.has(s.name));
}

/** Steps that read (directly or not) an output of `name`. */
export function downstreamOf(pipeline: Pipeline, name: string): Set<string> {
  const out = new Set<string>();
  for (const s of pipeline.steps) if (upstreamOf(s).some((d) => d === name || out.has(d))) out.add(s.name);
  return out;
}
