import { DataError } from '../contract/step.js';

/**
 * An error the runner reports to the user as it is: what is wrong, where, and what to do.
 * Only the CLI turns it into an exit code.
 */
export class PipelineError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'PipelineError';
  }
}

/** A step's function threw: keeps the step's name beside its own error. */
export class StepFailed extends PipelineError {
  /** `kept`: the folder holding what the step handed over with its error (failed-outputs.ts). */
  constructor(readonly step: string, override readonly cause: unknown, readonly kept?: string) {
    super(`step "${step}" failed: ${describeError(cause)}${kept ? `\n  What it set aside is kept in ${kept} (never served from the cache).` : ''}`);
    this.name = 'StepFailed';
  }
}

/** The one place an error becomes text: data errors name file, line, column and value; others keep their message. */
export function describeError(error: unknown): string {
  // Duck-typed: a step may load its own copy of the contract module (tests, compiled builds).
  if (error instanceof DataError || (error instanceof Error && typeof (error as Partial<DataError>).describe === 'function'))
    return (error as DataError).describe();
  if (error instanceof PipelineError) return error.hint ? `${error.message}\n  ${error.hint}` : error.message;
  if (error instanceof Error) return error.message || String(error);
  return String(error);
}
