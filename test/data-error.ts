import { DataError } from '../runner/step.js';

/** The DataError `fn` throws; any other error is rethrown, and no error at all fails the test. */
export function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}
