/**
 * Mirrors a step's outputs into a folder the pipeline owns (e.g. `reports/`): files are replaced
 * atomically and only when their content differs, and files the step no longer writes are removed.
 * A published file is trusted no more than a cache entry: status and verify compare it with what its
 * step produced, and a run that puts a changed file back says so.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { PipelineError } from './errors.js';
import { short } from './hash.js';
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';

export interface PublishResult {
  written: string[];
  removed: string[];
  /** Files put back because they differed from what the step produced (edited by hand, or damaged). */
  restored: PublishedDrift[];
}

/** A published file that is not what its step produced. */
export interface PublishedDrift {
  /** Relative to the project, e.g. `reports/tables/table3.csv`. */
  path: string;
  state: 'differs' | 'missing' | 'stray';
  /** What the step's entry holds (absent for a stray file). */
  produced?: { hash: string; bytes: number };
  /** What the file holds now (absent for a missing file). */
  found?: { hash: string; bytes: number };
}

function targetOf(project: Project, folder: string, step: string): { target: string; rel: string } {
  const target = resolve(project.root, folder);
  const rel = relative(project.root, target);
  if (!rel || rel.startsWith('..') || rel.split(sep)[0] === 'derived')
    throw new PipelineError(`step "${step}" publishes to "${folder}", which must be a folder inside the project other than derived/`);
  return { target, rel };
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Compares the published folder with the outputs of the entry it mirrors, without writing anything.
 * `rehash` re-reads every file (verify); otherwise remembered hashes serve files whose stat is unchanged.
 */
export function publishedDrift(project: Project, folder: string, manifest: Manifest, rehash = false, keeps: readonly string[] = []): PublishedDrift[] {
  const { target } = targetOf(project, folder, manifest.step);
  const drift: PublishedDrift[] = [];
  // Files the step declares it leaves to others (publishKeeps), e.g. a PDF printed from the report.
  const wanted = new Set<string>(keeps.map((name) => join(target, name)));
  for (const out of manifest.outputs) {
    const path = join(target, out.name);
    wanted.add(path);
    const produced = { hash: out.hash, bytes: out.bytes };
    if (!existsSync(path)) drift.push({ path: relative(project.root, path), state: 'missing', produced });
    else {
      const found = project.files.hash(path, rehash);
      if (found.hash !== out.hash) drift.push({ path: relative(project.root, path), state: 'differs', produced, found });
    }
  }
  for (const path of filesUnder(target))
    if (!wanted.has(path)) drift.push({ path: relative(project.root, path), state: 'stray', found: project.files.hash(path, rehash) });
  return drift.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One line per drifted file, naming the step and both hashes. */
export function describeDrift(d: PublishedDrift, step: string): string {
  const both = (x: { hash: string; bytes: number }) => `sha256 ${short(x.hash)}, ${x.bytes} B`;
  if (d.state === 'missing') return `${d.path} is missing (${step} produced ${both(d.produced!)})`;
  if (d.state === 'stray') return `${d.path} is not produced by ${step}`;
  return `${d.path} differs from what ${step} produced (${step}: ${both(d.produced!)}; file: ${both(d.found!)})`;
}

/**
 * Mirrors the entry's outputs into the folder. `before` is the entry the folder mirrored until now:
 * a file that matches neither it nor the new entry was changed by someone else, and is reported as restored.
 */
export function publish(project: Project, folder: string, manifest: Manifest, before?: Manifest, keeps: readonly string[] = []): PublishResult {
  const { target, rel } = targetOf(project, folder, manifest.step);
  const entry = project.cache.entryDir(manifest.step, manifest.key);
  const result: PublishResult = { written: [], removed: [], restored: [] };
  const wanted = new Set<string>(keeps.map((name) => join(target, name)));
  for (const out of manifest.outputs) {
    const path = join(target, out.name);
    wanted.add(path);
    const exists = existsSync(path);
    const found = exists ? project.files.hash(path) : undefined;
    if (found?.hash === out.hash) continue;
    const previous = before?.outputs.find((o) => o.name === out.name);
    const produced = { hash: out.hash, bytes: out.bytes };
    if (!found && previous) result.restored.push({ path: join(rel, out.name), state: 'missing', produced });
    else if (found && found.hash !== previous?.hash) result.restored.push({ path: join(rel, out.name), state: 'differs', produced, found });
    const content = readFileSync(join(entry, out.name));
    writeFileAtomic(path, content);
    project.files.remember(path, content);
    result.written.push(join(rel, out.name));
  }
  const prune = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        prune(path);
        if (readdirSync(path).length === 0) rmdirSync(path);
      } else if (!wanted.has(path)) {
        rmSync(path);
        result.removed.push(relative(project.root, path));
      }
    }
  };
  prune(target);
  return result;
}
