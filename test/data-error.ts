import { DataError } from '../contract/step.js';

/** The DataError `fn` throws (or its promise rejects with); any other error is rethrown, and no error at all fails the test. */
export function dataError(fn: () => Promise<unknown>): Promise<DataError>;
export function dataError(fn: () => unknown): DataError;
export function dataError(fn: () => unknown): DataError | Promise<DataError> {
  const caught = (e: unknown): DataError => {
    if (e instanceof DataError) return e;
    throw e;
  };
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    return caught(e);
  }
  if (result instanceof Promise) {
    return result.then(
      () => {
        throw new Error('expected a DataError');
      },
      caught,
    );
  }
  throw new Error('expected a DataError');
}
