/**
 * Step parameters: their JSON Schemas, and values set for one invocation with
 * `-S step.param=value` (as `snakemake --config` does).
 *
 * A step declares its parameters' defaults as `params` in pipeline.ts, and may describe them with
 * `paramSchema` (type, allowed values, range); a parameter it does not describe gets the type of its
 * default. A value typed on the command line is read as that type and checked against the schema.
 * An override changes the branch's `params`, so it enters the cache key like any edit of
 * pipeline.ts would: the default run's keys stay as they are.
 */
import { UsageError, didYouMean } from './args.js';
import type { Pipeline, StepSpec } from './dag.js';
import { canonicalJson } from './hash.js';
import { stepsNamed } from './step-names.js';

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  [keyword: string]: unknown;
};

/** One `-S step.param=value`, as typed and as read. */
export interface Override {
  /** The step or branch as typed (`correlate`, `correlate[2013]`). */
  step: string;
  /** The parameter's path inside the step's params (`method`, `tolerances.correlation`). */
  param: string;
  value: unknown;
}

/** The schema of a step's whole `params` object: declared parts, the rest typed from their defaults. */
export function paramSchemaOf(spec: Pick<StepSpec, 'params' | 'paramSchema'>): JsonSchema {
  return schemaFor(spec.params, (spec.paramSchema ?? {}) as Record<string, JsonSchema>);
}

function schemaFor(value: unknown, declared: Record<string, JsonSchema> = {}): JsonSchema {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, v] of Object.entries(value)) {
      const own = declared[name];
      // A nested object's own members may be described too (`properties`); the rest are typed by default.
      const { properties: members, ...keywords } = own ?? {};
      properties[name] = isPlainObject(v) ? { ...schemaFor(v, members ?? {}), ...keywords } : { ...typeOf(v), ...own, default: v };
    }
    return { type: 'object', properties, additionalProperties: false, default: value };
  }
  return { ...typeOf(value), default: value };
}

const isPlainObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

function typeOf(v: unknown): JsonSchema {
  if (Array.isArray(v)) return { type: 'array' };
  if (v === null) return { type: 'null' };
  return { type: typeof v === 'number' ? 'number' : typeof v };
}

/** Every parameter of a step as `path → schema`, leaves only (`tolerances.table2`). */
export function leaves(schema: JsonSchema, prefix = ''): Array<[string, JsonSchema]> {
  if (schema.type === 'object' && schema.properties)
    return Object.entries(schema.properties).flatMap(([k, s]) => leaves(s, prefix ? `${prefix}.${k}` : k));
  return prefix ? [[prefix, schema]] : [];
}

/** A value checked against one parameter's schema: a message per failed keyword, empty when it passes. */
export type ValueCheck = (schema: JsonSchema, value: unknown) => string[];

/**
 * Reads every `-S` of one invocation, each checked against its step's schema with ajv. ajv is
 * loaded only when a parameter is set: compiling schemas would cost a plain run more than it takes.
 */
export async function parseOverrides(pipeline: Pipeline, texts: readonly string[]): Promise<Override[]> {
  if (!texts.length) return [];
  const check = await ajvCheck();
  return texts.map((text) => parseOverride(pipeline, text, check));
}

async function ajvCheck(): Promise<ValueCheck> {
  const { default: Ajv } = await import('ajv');
  const ajv = new (Ajv as any)({ allErrors: true, strict: false });
  return (schema, value) => {
    const validate = ajv.compile(schema);
    if (validate(value)) return [];
    return (validate.errors as Array<{ keyword: string; params: Record<string, unknown>; message?: string }>).map((e) =>
      e.keyword === 'type'
        ? `${JSON.stringify(value)} is not of type ${[e.params.type].flat().join(' or ')}`
        : e.keyword === 'enum'
          ? `${JSON.stringify(value)} is not an allowed value`
          : e.keyword === 'minimum' || e.keyword === 'maximum'
            ? `${JSON.stringify(value)} is ${e.keyword === 'minimum' ? 'below the minimum' : 'above the maximum'} ${e.params.limit}`
            : `${JSON.stringify(value)} ${e.message ?? 'is not allowed'}`,
    );
  };
}

/** `correlate.method=spearman` → its step, parameter path and value, typed and checked by the parameter's schema. */
export function parseOverride(pipeline: Pipeline, text: string, check: ValueCheck): Override {
  const eq = text.indexOf('=');
  const lhs = eq < 0 ? text : text.slice(0, eq);
  const dot = /^([^.[]+(?:\[[^\]]*\])?)\.(.+)$/.exec(lhs);
  if (eq < 0 || !dot) throw new UsageError(`-S ${text}: expected step.param=value`, 'For example: -S correlate.method=spearman (npm run pipeline -- params lists them).');
  const [, stepName, param] = dot as unknown as [string, string, string];
  const spec = stepsNamed(pipeline, stepName, `-S ${text}`)[0]!;
  const known = leaves(paramSchemaOf(spec));
  const leaf = known.find(([path]) => path === param)?.[1];
  if (!leaf)
    throw new UsageError(
      `-S ${text}: step "${spec.family ?? spec.name}" has no parameter "${param}"`,
      [didYouMean(param, known.map(([p]) => p)), known.length ? `Its parameters: ${known.map(([p]) => p).join(', ')}.` : 'It takes no parameters.'].filter(Boolean).join(' '),
    );
  const value = typedValue(leaf, text.slice(eq + 1));
  const problems = check(leaf, value);
  if (problems.length) throw new UsageError(`-S ${text}: ${problems.join('; ')}`, describeAccepted(leaf));
  return { step: stepName, param, value };
}

/** The text after `=` read as the parameter's type says: a number, a boolean, a string, or else JSON. */
function typedValue(schema: JsonSchema, raw: string): unknown {
  const types = [schema.type ?? []].flat();
  if (types.includes('number') || types.includes('integer')) return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (types.includes('boolean')) return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (types.includes('string')) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function describeAccepted(schema: JsonSchema): string {
  const parts = [
    schema.enum ? `Allowed values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}.` : `Expected: ${[schema.type ?? 'any value'].flat().join(' or ')}.`,
    schema.minimum !== undefined || schema.maximum !== undefined ? `Range: ${schema.minimum ?? '-∞'} to ${schema.maximum ?? '∞'}.` : '',
    `Default: ${JSON.stringify(schema.default)}.`,
  ];
  return parts.filter(Boolean).join(' ');
}

/**
 * The pipeline with the overrides applied to the branches they name (a later one wins). Each
 * branch records the overrides that differ from its declared defaults, for its manifest and the run log.
 */
export function withOverrides(pipeline: Pipeline, overrides: readonly Override[]): Pipeline {
  if (!overrides.length) return pipeline;
  const steps = pipeline.steps.map((spec) => {
    const mine = overrides.filter((o) => o.step === spec.name || o.step === spec.family);
    if (!mine.length) return spec;
    const params = structuredClone(spec.params) as Record<string, unknown>;
    for (const o of mine) {
      const path = o.param.split('.');
      let at = params;
      for (const part of path.slice(0, -1)) at = at[part] as Record<string, unknown>;
      at[path.at(-1)!] = o.value;
    }
    const changed = Object.fromEntries(
      [...new Set(mine.map((o) => o.param))]
        .filter((path) => canonicalJson(valueAt(spec.params, path)) !== canonicalJson(valueAt(params, path)))
        .map((path) => [path, valueAt(params, path)]),
    );
    return Object.keys(changed).length ? { ...spec, params, overrides: changed } : spec;
  });
  return { ...pipeline, steps };
}

/** The value at a dotted path of a params object (undefined where there is none). */
export function valueAt(params: unknown, path: string): unknown {
  let at: unknown = params;
  for (const part of path.split('.')) at = isPlainObject(at) ? (at as Record<string, unknown>)[part] : undefined;
  return at;
}

/** One parameter of one declared step, for `params`. */
export interface ParamInfo {
  step: string;
  param: string;
  type: string;
  allowed: unknown[] | null;
  description: string | null;
  default: unknown;
  /** By branch: the value its latest cache entry used (branches that never ran are left out). */
  lastUsed: Record<string, unknown>;
}

export function listParams(project: { declared: Pipeline; pipeline: Pipeline; cache: { latest(step: string): string | undefined; readManifest(step: string, key: string): unknown } }): ParamInfo[] {
  const out: ParamInfo[] = [];
  for (const spec of project.declared.steps) {
    const branches = project.pipeline.steps.filter((s) => s.name === spec.name || s.family === spec.name);
    const used = new Map<string, unknown>();
    for (const b of branches) {
      const key = project.cache.latest(b.name);
      const manifest = key ? project.cache.readManifest(b.name, key) : undefined;
      if (manifest && typeof manifest === 'object') used.set(b.name, (manifest as { components: { params: unknown } }).components.params);
    }
    for (const [param, schema] of leaves(paramSchemaOf(spec)))
      out.push({
        step: spec.name,
        param,
        type: [schema.type ?? 'any'].flat().join(' | '),
        allowed: schema.enum ?? null,
        description: typeof schema.description === 'string' ? schema.description : null,
        default: schema.default,
        lastUsed: Object.fromEntries([...used].map(([branch, params]) => [branch, valueAt(params, param) ?? null])),
      });
  }
  return out;
}
