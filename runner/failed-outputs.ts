/**
 * What a failed step handed over with its error (a `DataErrorWithOutputs`: rejected rows and their
 * reasons, say), kept in `derived/<step>/failed/<key>/` for the researcher to read. The folder is no
 * cache entry (no manifest; the cache and `status` never look there) and `gc` sweeps it; a later
 * failure of the same key replaces it.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { familyOf } from './dag.js';
import { checkOutputName } from './cache.js';
import { outputBytes, type StepOutputs } from '../contract/step.js';

/** The outputs a failed step's error carries, if any (duck-typed: a step may load its own copy of step.ts). */
export function partialOutputsOf(error: unknown): StepOutputs | undefined {
  const outputs = error instanceof Error ? (error as { partialOutputs?: unknown }).partialOutputs : undefined;
  return outputs && typeof outputs === 'object' ? (outputs as StepOutputs) : undefined;
}

export const failedDir = (derived: string, step: string, key: string) => join(derived, familyOf(step), 'failed', key);

/**
 * Writes the outputs a failed step's error carries into its failed folder (staged, then renamed into
 * place) and returns that folder relative to `root`; undefined when the error carries none.
 */
export function keepFailedOutputs(root: string, derived: string, step: string, key: string, error: unknown): string | undefined {
  const outputs = partialOutputsOf(error);
  if (!outputs) return undefined;
  const final = failedDir(derived, step, key);
  const staged = join(dirname(final), `.tmp-${key.slice(0, 12)}-${process.pid}`);
  rmSync(staged, { recursive: true, force: true });
  for (const [name, value] of Object.entries(outputs)) {
    checkOutputName(step, name);
    mkdirSync(dirname(join(staged, name)), { recursive: true });
    writeFileSync(join(staged, name), outputBytes(value));
  }
  mkdirSync(staged, { recursive: true });
  rmSync(final, { recursive: true, force: true });
  renameSync(staged, final);
  return relative(root, final) + '/';
}

/** Removes every step's failed folder; returns what it removed. */
export function sweepFailed(derived: string): string[] {
  if (!existsSync(derived)) return [];
  const swept: string[] = [];
  for (const step of readdirSync(derived, { withFileTypes: true })) {
    const dir = join(derived, step.name, 'failed');
    if (!step.isDirectory() || step.name.startsWith('.') || !existsSync(dir)) continue;
    rmSync(dir, { recursive: true, force: true });
    swept.push(dir);
  }
  return swept;
}
