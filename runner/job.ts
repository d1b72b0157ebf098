/**
 * One step's computation as plain data (a `Job`), and the function that performs it: read the inputs,
 * call the step, write its outputs into the staged folder, and say what was written. A job names files
 * and a module by path and URL only, so any executor (this process, a worker thread, later a cluster
 * node sharing the project's file system) can run it; the runner alone commits the entry.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkOutputName } from './cache.js';
import { describeError, PipelineError, StepFailed } from './errors.js';
import { sha256 } from './hash.js';
import { fileArtifact } from './input-file.js';
import { keepFailedOutputs } from './failed-outputs.js';
import { countRows, type OutputRecord } from './manifest.js';
import { artifact, DataError, type Artifact, type StepFunction, type StepInputs, type StepOutputs } from '../contract/step.js';

/** A declared input: a file to read and check against `hash`, or content the runner computed (provenance). */
export type JobInput =
  | { name: string; hash: string; file: string; mismatch: { message: string; hint?: string } }
  | { name: string; hash: string; content: string };

export interface Job {
  step: string;
  /** The module file as declared (`steps/clean.ts`), for messages. */
  module: string;
  /** Where to import it from. */
  moduleUrl: string;
  inputs: Record<string, JobInput[]>;
  params: unknown;
  /** The folder the outputs are written into; without it they are only hashed (`verify --recompute`). */
  staged?: string;
  /** Where a failing step's handed-over outputs are kept (derived/<step>/failed/<key>/). */
  failed?: { root: string; derived: string; key: string };
}

/** Performs a job where it is called; throws `StepFailed` or `PipelineError`. */
export async function runJob(job: Job): Promise<OutputRecord[]> {
  const fn = await loadStep(job);
  const inputs: StepInputs = {};
  for (const [name, list] of Object.entries(job.inputs)) inputs[name] = list.map(inputArtifact);
  let outputs: StepOutputs;
  try {
    // A copy, so that a step mutating its parameters cannot change what the manifest records.
    outputs = await fn(inputs, structuredClone(job.params));
  } catch (error) {
    throw new StepFailed(job.step, error, job.failed && keepFailedOutputs(job.failed.root, job.failed.derived, job.step, job.failed.key, error));
  }
  if (!outputs || typeof outputs !== 'object') throw new StepFailed(job.step, new Error('the step returned no outputs object'));
  const records: OutputRecord[] = [];
  for (const name of Object.keys(outputs).sort()) {
    checkOutputName(job.step, name);
    const value = outputs[name]!;
    const file = typeof value === 'string' || value instanceof Uint8Array ? { content: value } : value;
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    if (job.staged) {
      const path = join(job.staged, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
    }
    records.push({ name, hash: sha256(bytes), bytes: bytes.length, rows: file.rows ?? countRows(name, bytes) });
  }
  return records;
}

async function loadStep(job: Job): Promise<StepFunction> {
  let mod: { default?: unknown };
  try {
    mod = await import(job.moduleUrl);
  } catch (error) {
    throw new PipelineError(`cannot load ${job.module} for step "${job.step}": ${describeError(error)}`);
  }
  if (typeof mod.default !== 'function') throw new PipelineError(`${job.module} must default-export the function of step "${job.step}"`);
  return mod.default as StepFunction;
}

function inputArtifact(input: JobInput): Artifact {
  if ('content' in input) return artifact(input.name, input.content, input.hash);
  const { message, hint } = input.mismatch;
  return fileArtifact(input.name, input.file, input.hash, () => new PipelineError(message, hint));
}

/**
 * An error as data that crosses a thread or process boundary and is rebuilt on the other side with
 * what the CLI formats: a data error's place, a pipeline error's hint, a failed step's name.
 */
export type ErrorData =
  | { kind: 'data'; message: string; where: DataError['where'] }
  | { kind: 'pipeline'; message: string; hint?: string }
  | { kind: 'step'; step: string; cause: ErrorData; kept?: string }
  | { kind: 'other'; message: string; stack?: string };

export function errorData(error: unknown): ErrorData {
  if (error instanceof StepFailed) return { kind: 'step', step: error.step, cause: errorData(error.cause), ...(error.kept ? { kept: error.kept } : {}) };
  if (error instanceof PipelineError) return { kind: 'pipeline', message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof Error && typeof (error as Partial<DataError>).describe === 'function') return { kind: 'data', message: error.message, where: (error as DataError).where };
  if (error instanceof Error) return { kind: 'other', message: error.message || String(error), ...(error.stack ? { stack: error.stack } : {}) };
  return { kind: 'other', message: String(error) };
}

export function errorFromData(data: ErrorData): Error {
  switch (data.kind) {
    case 'step':
      return new StepFailed(data.step, errorFromData(data.cause), data.kept);
    case 'pipeline':
      return new PipelineError(data.message, data.hint);
    case 'data':
      return new DataError(data.message, data.where);
    case 'other': {
      const error = new Error(data.message);
      if (data.stack) error.stack = data.stack;
      return error;
    }
  }
}
