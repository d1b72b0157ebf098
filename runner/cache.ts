/**
 * The content-addressed cache: `derived/<step>/<key>/` holds a step's outputs and `manifest.json`.
 *
 * An entry is written in a temporary folder and renamed into place in one step, so a killed run
 * leaves at most a `.tmp-*` folder that is never read and is swept at the next locked run. Entries
 * are untrusted when read back: a manifest that fails its schema, or an output whose hash differs
 * from the manifest, makes the entry corrupt, and corrupt entries are reported and recomputed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { familyOf } from './dag.js';
import { writeFileAtomic } from './atomic.js';
import { PipelineError } from './errors.js';
import type { FileState } from './file-state.js';
import { short } from './hash.js';
import type { Manifest } from './manifest.js';
import { schemaErrors, type Validator } from './validators.js';

export type PointerCheck = { state: 'missing' } | { state: 'valid'; key: string } | { state: 'corrupt'; reason: string };

export function readPointer(path: string): PointerCheck {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { state: 'missing' };
  }
  if (/^[0-9a-f]{64}\n$/.test(text)) return { state: 'valid', key: text.slice(0, 64) };
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
  return { state: 'corrupt', reason: `holds ${shown}, not one cache key and a line end` };
}

export type EntryCheck =
  | { state: 'missing' }
  | { state: 'valid'; manifest: Manifest }
  | { state: 'corrupt'; reason: string };

let sequence = 0;

export class Cache {
  constructor(
    readonly dir: string,
    private readonly files: FileState,
    private readonly validateManifest: Validator,
  ) {}

  /** Branches of a fanned-out step (`clean[2013]`) share their step's folder: keys tell them apart. */
  entryDir(step: string, key: string): string {
    return join(this.dir, familyOf(step), key);
  }

  /** Reads an entry back and checks it against its manifest without trusting either. */
  check(step: string, key: string, rehash = false): EntryCheck {
    const dir = this.entryDir(step, key);
    const manifest = this.readManifest(step, key);
    if (manifest === undefined) return existsSync(dir) ? { state: 'corrupt', reason: 'manifest.json is missing' } : { state: 'missing' };
    if (typeof manifest === 'string') return { state: 'corrupt', reason: manifest };
    for (const out of manifest.outputs) {
      const path = join(dir, out.name);
      if (!existsSync(path)) return { state: 'corrupt', reason: `output ${out.name} is missing` };
      const found = this.files.hash(path, rehash);
      if (found.bytes !== out.bytes || found.hash !== out.hash)
        return { state: 'corrupt', reason: `output ${out.name} was altered (manifest says sha256 ${short(out.hash)}, ${out.bytes} bytes; found ${short(found.hash)}, ${found.bytes} bytes)` };
    }
    return { state: 'valid', manifest };
  }

  /** The manifest, a string saying why it cannot be trusted, or undefined when there is none. */
  readManifest(step: string, key: string): Manifest | string | undefined {
    const path = join(this.entryDir(step, key), 'manifest.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(text);
    } catch (e) {
      return `manifest.json is not JSON (${(e as Error).message})`;
    }
    if (!this.validateManifest(manifest)) return `manifest.json does not match schemas/manifest.schema.json: ${schemaErrors(this.validateManifest)}`;
    const m = manifest as Manifest;
    // Asked by folder (`clean`), any branch of that step matches; asked by branch, only that branch.
    const sameStep = step === familyOf(step) ? familyOf(m.step) === step : m.step === step;
    if (!sameStep || m.key !== key) return `manifest.json describes ${m.step}/${short(m.key)}, not ${step}/${short(key)}`;
    return m;
  }

  /** A fresh temporary folder for a step's outputs, never read until `commit` renames it into place. */
  stage(step: string, key: string): string {
    const tmp = join(this.dir, familyOf(step), `.tmp-${short(key)}-${process.pid}-${++sequence}`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    return tmp;
  }

  /** Adds the manifest to a staged folder and renames it into place, replacing any corrupt entry of the same key. */
  commit(manifest: Manifest, staged: string): void {
    const final = this.entryDir(manifest.step, manifest.key);
    writeFileSync(join(staged, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    if (existsSync(final)) this.discard(manifest.step, manifest.key);
    renameSync(staged, final);
    for (const out of manifest.outputs) this.files.rememberHash(join(final, out.name), out.hash);
  }

  /** Removes an entry: renamed aside first so that no reader sees it half-deleted. */
  discard(step: string, key: string): void {
    const dir = this.entryDir(step, key);
    const trash = join(this.dir, familyOf(step), `.tmp-discard-${short(key)}-${process.pid}-${++sequence}`);
    try {
      renameSync(dir, trash);
    } catch {
      return;
    }
    rmSync(trash, { recursive: true, force: true });
  }

  /** `derived/clean/LATEST`, or `derived/clean/LATEST[2013]` for a branch. */
  pointerPath(step: string): string {
    const family = familyOf(step);
    return join(this.dir, family, `LATEST${step.slice(family.length)}`);
  }

  /** The pointer to a step's latest entry, read strictly: it holds one key and a line end, nothing else. */
  pointer(step: string): PointerCheck {
    return readPointer(this.pointerPath(step));
  }

  latest(step: string): string | undefined {
    const pointer = this.pointer(step);
    return pointer.state === 'valid' ? pointer.key : undefined;
  }

  /** Rewrites the pointer unless it already holds exactly this key (a damaged one is rewritten). */
  setLatest(step: string, key: string): void {
    const pointer = this.pointer(step);
    if (pointer.state !== 'valid' || pointer.key !== key) writeFileAtomic(this.pointerPath(step), key + '\n');
  }

  /** Pointers to the latest entry of every step or branch that has run: `[step or branch, file]`. */
  latestPointers(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    if (!existsSync(this.dir)) return out;
    for (const family of readdirSync(this.dir).sort()) {
      if (family.startsWith('.') || !statSync(join(this.dir, family)).isDirectory()) continue;
      for (const name of readdirSync(join(this.dir, family)).sort())
        if (name.startsWith('LATEST')) out.push([family + name.slice('LATEST'.length), join(this.dir, family, name)]);
    }
    return out;
  }

  /** Every entry folder in the cache, by step. */
  entries(): Array<{ step: string; key: string }> {
    const out: Array<{ step: string; key: string }> = [];
    if (!existsSync(this.dir)) return out;
    for (const step of readdirSync(this.dir).sort()) {
      if (step.startsWith('.') || !statSync(join(this.dir, step)).isDirectory()) continue;
      for (const key of readdirSync(join(this.dir, step)).sort())
        if (/^[0-9a-f]{64}$/.test(key)) out.push({ step, key });
    }
    return out;
  }

  /** Leftovers of killed runs: temporary folders and files. Only call while holding the lock. */
  sweepTemporaries(): string[] {
    const swept: string[] = [];
    if (!existsSync(this.dir)) return swept;
    const sweep = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (name.startsWith('.tmp-')) {
          rmSync(path, { recursive: true, force: true });
          swept.push(path);
        }
      }
    };
    sweep(this.dir);
    for (const step of readdirSync(this.dir))
      if (!step.startsWith('.') && statSync(join(this.dir, step)).isDirectory()) sweep(join(this.dir, step));
    return swept;
  }
}

/** Output names become paths inside the entry: keep them there. */
export function checkOutputName(step: string, name: string): void {
  const n = normalize(name);
  if (!name || n.startsWith('..') || n.startsWith(sep) || n === 'manifest.json' || n.split(sep).some((p) => p.startsWith('.tmp-')))
    throw new PipelineError(`step "${step}" returned an output named "${name}"; names must be relative paths inside the entry, not manifest.json`);
}
