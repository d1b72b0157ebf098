/**
 * A project on disk: its pipeline declaration, its cache and the state the runner keeps beside it.
 * Everything the runner reads or writes goes through here or the modules it hands out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Cache } from './cache.js';
import { CodeScanner } from './code.js';
import { glob } from 'zx';
import { definePipeline, type AllowedFromFile, type Pipeline, type WildcardRules } from './dag.js';
import { expandPipeline } from './expand.js';
import { PipelineError } from './errors.js';
import { FileState } from './file-state.js';
import { validator } from './validators.js';

export interface ProjectOptions {
  /** The folder holding pipeline.ts, steps/, raw/ and derived/. */
  root: string;
  /**
   * Where to import a project module from. Defaults to the TypeScript source itself (tests run
   * under tsx); the launcher maps sources to their compiled JavaScript.
   */
  moduleUrl?: (module: string) => string;
}

export interface Project {
  root: string;
  derived: string;
  /** The pipeline as declared in pipeline.ts (one entry per step). */
  declared: Pipeline;
  /** The pipeline with fanned-out steps expanded into their branches, as found on disk now. */
  pipeline: Pipeline;
  files: FileState;
  cache: Cache;
  code: CodeScanner;
  moduleUrl: (module: string) => string;
  /** Writes what the runner learned about file hashes back to derived/.state.json. */
  saveState(): void;
}

/** Wildcard rules with every list of allowed values that lives in a project file read from it. */
function allowedFromFiles(root: string, rules: Record<string, WildcardRules>): Record<string, WildcardRules> {
  return Object.fromEntries(
    Object.entries(rules).map(([pattern, rule]) => {
      if (!rule.allowed) return [pattern, rule];
      const allowed = Object.fromEntries(
        Object.entries(rule.allowed).map(([name, spec]) => {
          if (Array.isArray(spec) || spec instanceof RegExp) return [name, spec];
          const { file, values } = spec as AllowedFromFile;
          let json: unknown;
          try {
            json = JSON.parse(readFileSync(join(root, file), 'utf8').replace(/^\uFEFF/, ''));
          } catch (e) {
            throw new PipelineError(`the values {${name}} of ${pattern} may take are read from ${file}, which cannot be read as JSON: ${(e as Error).message}`, `Correct ${file}.`);
          }
          return [name, values(json)];
        }),
      );
      return [pattern, { ...rule, allowed }];
    }),
  );
}

export async function openProject(options: ProjectOptions): Promise<Project> {
  const root = resolve(options.root);
  const moduleUrl = options.moduleUrl ?? ((module: string) => pathToFileURL(join(root, module)).href);
  if (!existsSync(join(root, 'pipeline.ts')))
    throw new PipelineError(`no pipeline.ts in ${root}`, 'Run from the project folder, or name it with --project <dir>.');
  const declared = (await import(moduleUrl('pipeline.ts'))).default as Pipeline | undefined;
  if (!declared || !Array.isArray(declared.steps))
    throw new PipelineError('pipeline.ts must default-export definePipeline([...steps])');
  const rules = declared.wildcardRules && allowedFromFiles(root, declared.wildcardRules);
  const checked = definePipeline(declared.steps, { wildcards: declared.wildcards ?? [], ...(rules ? { wildcardRules: rules } : {}) });
  const pipeline = expandPipeline(checked, (pattern, options) => glob.sync(pattern, { cwd: root, onlyFiles: true, dot: false, caseSensitiveMatch: !options?.ignoreCase }));
  const derived = join(root, 'derived');
  const files = new FileState(root, join(derived, '.state.json'));
  const cache = new Cache(derived, files, await validator('manifest'));
  return {
    root,
    derived,
    declared: checked,
    pipeline,
    files,
    cache,
    code: new CodeScanner(root, files),
    moduleUrl,
    saveState: () => files.save((rel) => existsSync(join(root, rel))),
  };
}
