/**
 * What code a step runs: its module and every project file it imports, followed transitively, plus
 * the versions of the packages those files import. A step's cache key includes exactly this, so
 * editing a file the step does not import leaves its cache alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { PipelineError } from './errors.js';
import type { FileState } from './file-state.js';

export interface CodeFingerprint {
  /** Project files by path, with their content hashes. */
  files: Record<string, string>;
  /** npm packages imported anywhere in those files, with their installed versions. */
  dependencies: Record<string, string>;
}

// Static imports, re-exports, side-effect imports and dynamic imports with a literal specifier.
export const IMPORT = /\b(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"\n]+)['"]|\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;
const BUILTIN = new Set(builtinModules);

export class CodeScanner {
  private readonly perFile = new Map<string, { local: string[]; packages: string[] }>();
  private readonly versions = new Map<string, string>();
  private readonly fingerprints = new Map<string, CodeFingerprint>();

  constructor(private readonly root: string, private readonly files: FileState) {}

  /** Branches of a fanned-out step share their module: its fingerprint is computed once per run. */
  fingerprint(module: string): CodeFingerprint {
    let known = this.fingerprints.get(module);
    if (!known) this.fingerprints.set(module, (known = this.compute(module)));
    return known;
  }

  private compute(module: string): CodeFingerprint {
    const start = resolve(this.root, module);
    if (!existsSync(start)) throw new PipelineError(`step module ${module} does not exist`);
    const files: Record<string, string> = {};
    const packages = new Set<string>();
    const pending = [start];
    while (pending.length) {
      const file = pending.pop()!;
      const rel = relative(this.root, file);
      if (rel in files) continue;
      files[rel] = this.files.hash(file).hash;
      const { local, packages: used } = this.scan(file);
      used.forEach((p) => packages.add(p));
      pending.push(...local);
    }
    const dependencies: Record<string, string> = {};
    for (const p of [...packages].sort()) dependencies[p] = this.version(p);
    return { files: sortedRecord(files), dependencies };
  }

  private scan(file: string): { local: string[]; packages: string[] } {
    const known = this.perFile.get(file);
    if (known) return known;
    const result = { local: [] as string[], packages: [] as string[] };
    if (/\.(ts|mts|js|mjs)$/.test(file)) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(IMPORT)) {
        const specifier = (match[1] ?? match[2])!;
        if (specifier.startsWith('.')) {
          const target = resolveLocal(dirname(file), specifier);
          if (!target) throw new PipelineError(`${relative(this.root, file)} imports "${specifier}", which does not exist`);
          result.local.push(target);
        } else if (!specifier.startsWith('node:') && !BUILTIN.has(specifier)) {
          result.packages.push(packageName(specifier));
        }
      }
    }
    this.perFile.set(file, result);
    return result;
  }

  private version(name: string): string {
    let version = this.versions.get(name);
    if (version === undefined) {
      try {
        version = String(JSON.parse(readFileSync(join(this.root, 'node_modules', name, 'package.json'), 'utf8')).version);
      } catch {
        version = 'not installed';
      }
      this.versions.set(name, version);
    }
    return version;
  }
}

/** `./x.js` written in TypeScript sources means `./x.ts`; JSON and folders with an index resolve too. */
function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(from, specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && !c.endsWith('/') && /\.[a-z]+$/.test(c));
}

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
