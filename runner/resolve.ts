/**
 * Turns a step's declaration into its cache key: the files its inputs match today, their content
 * hashes, its code fingerprint and its parameters, hashed as canonical JSON.
 */
import { glob } from 'zx';
import { join } from 'node:path';
import type { RawInput, StepSpec } from './dag.js';
import { PipelineError } from './errors.js';
import { canonicalJson, sha256 } from './hash.js';
import { CACHE_FORMAT, type InputFileRecord, type KeyComponents, type Manifest } from './manifest.js';
import type { Project } from './project.js';
import { pickVersion, versionsGlob } from './versions.js';

export type InputSource =
  | { kind: 'raw'; file: string }
  | { kind: 'output'; step: string; key: string; file: string }
  | { kind: 'provenance'; step: string; content: string };

export interface ResolvedStep {
  spec: StepSpec;
  components: KeyComponents;
  key: string;
  lineage: Record<string, string>;
  sources: Record<string, InputSource[]>;
}

/** `upstream` holds the manifest of the entry each upstream step resolved to in this run. */
export function resolveStep(project: Project, spec: StepSpec, upstream: Map<string, Manifest>): ResolvedStep {
  const inputs: Record<string, InputFileRecord[]> = {};
  const sources: Record<string, InputSource[]> = {};
  const lineage: Record<string, string> = {};
  for (const [name, specs] of Object.entries(spec.inputs).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const records: Array<InputFileRecord & { source: InputSource }> = [];
    for (const input of specs) {
      if (input.kind === 'raw') {
        for (const record of rawInputRecords(project, spec, name, input)) records.push({ ...record, source: { kind: 'raw', file: record.path } });
      } else if (input.kind === 'provenance') {
        const manifest = upstream.get(input.step);
        if (!manifest) throw new PipelineError(`step "${spec.name}" needs "${input.step}" to have run first`);
        const content = provenanceRecord(manifest);
        const path = `${input.step}:provenance.json`;
        lineage[path] = manifest.key;
        records.push({ path, hash: sha256(content), bytes: Buffer.byteLength(content), source: { kind: 'provenance', step: input.step, content } });
      } else {
        const manifest = upstream.get(input.step);
        if (!manifest) throw new PipelineError(`step "${spec.name}" needs "${input.step}" to have run first`);
        const out = manifest.outputs.find((o) => o.name === input.file);
        if (!out)
          throw new PipelineError(
            `step "${spec.name}" reads ${input.step}:${input.file}, but "${input.step}" wrote no such file`,
            `It wrote: ${manifest.outputs.map((o) => o.name).join(', ') || 'nothing'}.`,
          );
        const path = `${input.step}:${input.file}`;
        lineage[path] = manifest.key;
        records.push({ path, hash: out.hash, bytes: out.bytes, source: { kind: 'output', step: input.step, key: manifest.key, file: input.file } });
      }
    }
    // Sorted so that the order globs or declarations list files in never changes the key.
    records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    inputs[name] = records.map(({ path, hash, bytes }) => ({ path, hash, bytes }));
    sources[name] = records.map((r) => r.source);
  }
  const { files: code, dependencies } = project.code.fingerprint(spec.module);
  const components: KeyComponents = {
    cacheFormat: CACHE_FORMAT,
    module: spec.module,
    code,
    dependencies,
    runtime: { node: process.versions.node.split('.')[0]! },
    params: spec.params,
    inputs,
  };
  return { spec, components, key: keyOf(components), lineage, sources };
}

/** The project files a raw input matches today (for a versioned one, the version that applies), with their hashes (unsorted). */
export function rawInputRecords(project: Project, spec: StepSpec, name: string, input: RawInput): InputFileRecord[] {
  const matched = input.version === undefined ? glob.sync(input.glob, { cwd: project.root, onlyFiles: true, dot: false, caseSensitiveMatch: !input.ignoreCase }) : applyingVersion(project, input.glob, input.version);
  if (matched.length === 0)
    throw new PipelineError(
      `input "${name}" of step "${spec.name}" matches no file: ${input.glob}${input.version === undefined ? '' : ` (nor ${versionsGlob(input.glob)} for a version at or before ${input.version})`}`,
      'Add the files, or correct the glob in pipeline.ts.',
    );
  return matched.map((path) => ({ path, ...project.files.hash(join(project.root, path)) }));
}

/** The one version of a versioned raw file that applies at `version`, or none. */
function applyingVersion(project: Project, base: string, version: string): string[] {
  const found = glob.sync([base, versionsGlob(base)], { cwd: project.root, onlyFiles: true, dot: false });
  const picked = pickVersion(base, found, version);
  return picked === undefined ? [] : [picked];
}

/**
 * The key components a step has before its upstream steps have run: everything but the inputs they
 * produce. `status` compares these with earlier entries to tell whether the step runs whatever its
 * upstream steps produce.
 */
export function ownComponents(project: Project, spec: StepSpec): KeyComponents {
  const inputs: Record<string, InputFileRecord[]> = {};
  for (const [name, specs] of Object.entries(spec.inputs).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const records = specs.flatMap((input) => (input.kind === 'raw' ? rawInputRecords(project, spec, name, input) : []));
    if (records.length) inputs[name] = records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  const { files: code, dependencies } = project.code.fingerprint(spec.module);
  return { cacheFormat: CACHE_FORMAT, module: spec.module, code, dependencies, runtime: { node: process.versions.node.split('.')[0]! }, params: spec.params, inputs };
}

/** An entry's key components without the inputs its upstream steps produced (those named in its lineage). */
export function ownPart(manifest: Manifest): KeyComponents {
  const inputs: Record<string, InputFileRecord[]> = {};
  for (const [name, records] of Object.entries(manifest.components.inputs)) {
    const own = records.filter((r) => !(r.path in manifest.lineage));
    if (own.length) inputs[name] = own;
  }
  return { ...manifest.components, inputs };
}

/** What `provenance(step)` hands a step: the entry's manifest without run times, as stable JSON. */
export function provenanceRecord(manifest: Manifest): string {
  const { step, key, components, lineage, outputs, overrides } = manifest;
  return (
    JSON.stringify(
      {
        step,
        key,
        module: components.module,
        codeHash: sha256(canonicalJson(components.code)),
        code: components.code,
        dependencies: components.dependencies,
        runtime: components.runtime,
        params: components.params,
        // Only when set: a default run's records stay as they were.
        ...(overrides ? { overrides } : {}),
        inputs: components.inputs,
        lineage,
        outputs,
      },
      null,
      2,
    ) + '\n'
  );
}

export const keyOf = (components: KeyComponents): string => sha256(canonicalJson(components));
