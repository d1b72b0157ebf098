/**
 * Mirrors a step's outputs into a folder the pipeline owns (e.g. `reports/`): files are replaced
 * atomically and only when their content differs, and files the step no longer writes are removed.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { PipelineError } from './errors.js';
import type { Manifest } from './manifest.js';
import type { Project } from './project.js';

export interface PublishResult {
  written: string[];
  removed: string[];
}

export function publish(project: Project, folder: string, manifest: Manifest, keeps: readonly string[] = []): PublishResult {
  const target = resolve(project.root, folder);
  const rel = relative(project.root, target);
  if (!rel || rel.startsWith('..') || rel.split(sep)[0] === 'derived')
    throw new PipelineError(`step "${manifest.step}" publishes to "${folder}", which must be a folder inside the project other than derived/`);
  const entry = project.cache.entryDir(manifest.step, manifest.key);
  const result: PublishResult = { written: [], removed: [] };
  const wanted = new Set<string>(keeps.map((name) => join(target, name)));
  for (const out of manifest.outputs) {
    const path = join(target, out.name);
    wanted.add(path);
    if (existsSync(path) && project.files.hash(path).hash === out.hash) continue;
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
