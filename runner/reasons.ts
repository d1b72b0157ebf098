/**
 * Why a step must run, as sentences a reviewer can check. Each kind of change is its own small
 * comparison of this run's key components with those of the step's latest entry.
 */
import { canonicalJson, short } from './hash.js';
import type { InputFileRecord, KeyComponents } from './manifest.js';

type Cue = (now: KeyComponents, before: KeyComponents) => string[];

const cacheFormat: Cue = (now, before) =>
  now.cacheFormat === before.cacheFormat ? [] : [`cache format changed (${before.cacheFormat} → ${now.cacheFormat})`];

const module: Cue = (now, before) => (now.module === before.module ? [] : [`module changed: ${before.module} → ${now.module}`]);

const code: Cue = (now, before) =>
  changedKeys(now.code, before.code).map(([file, change]) =>
    change === 'added' ? `code: now imports ${file}` : change === 'removed' ? `code: no longer imports ${file}` : `code changed: ${file}`,
  );

const dependencies: Cue = (now, before) =>
  changedKeys(now.dependencies, before.dependencies).map(([name, change]) =>
    change === 'changed'
      ? `dependency ${name} ${before.dependencies[name]} → ${now.dependencies[name]}`
      : `dependency ${name} ${change === 'added' ? 'now used' : 'no longer used'}`,
  );

const runtime: Cue = (now, before) =>
  changedKeys(now.runtime, before.runtime).map(([name]) => `runtime ${name} ${before.runtime[name] ?? 'none'} → ${now.runtime[name] ?? 'none'}`);

const params: Cue = (now, before) => {
  const a = flatten(before.params);
  const b = flatten(now.params);
  return changedKeys(b, a).map(([path, change]) =>
    change === 'changed' ? `param ${path} changed: ${a[path]} → ${b[path]}` : `param ${path} ${change}${change === 'added' ? `: ${b[path]}` : ''}`,
  );
};

const inputs: Cue = (now, before) => {
  const reasons: string[] = [];
  for (const name of [...new Set([...Object.keys(now.inputs), ...Object.keys(before.inputs)])].sort()) {
    const was = byPath(before.inputs[name] ?? []);
    const is = byPath(now.inputs[name] ?? []);
    for (const [path, change] of changedKeys(is, was))
      reasons.push(
        change === 'changed'
          ? `input ${path} changed (sha256 ${short(was[path]!)} → ${short(is[path]!)})`
          : `input ${path} ${change === 'added' ? 'is new' : 'was removed'}`,
      );
  }
  return reasons;
};

const CUES: Cue[] = [cacheFormat, module, code, dependencies, runtime, params, inputs];

/** Every difference between two sets of key components; empty when they are the same. */
export function differences(now: KeyComponents, before: KeyComponents): string[] {
  return CUES.flatMap((cue) => cue(now, before));
}

function changedKeys(now: Record<string, unknown>, before: Record<string, unknown>): Array<[string, 'added' | 'removed' | 'changed']> {
  const out: Array<[string, 'added' | 'removed' | 'changed']> = [];
  for (const key of [...new Set([...Object.keys(now), ...Object.keys(before)])].sort()) {
    if (!(key in before)) out.push([key, 'added']);
    else if (!(key in now)) out.push([key, 'removed']);
    else if (now[key] !== before[key]) out.push([key, 'changed']);
  }
  return out;
}

const byPath = (files: InputFileRecord[]) => Object.fromEntries(files.map((f) => [f.path, f.hash]));

/** Parameters as `a.b.c` → canonical JSON of the leaf, so a nested change names its path. */
function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix || '(all)'] = truncate(canonicalJson(value));
  }
  return out;
}

const truncate = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
