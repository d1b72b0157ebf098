/**
 * The contract between the runner and a step.
 *
 * A step module default-exports a function `(inputs, params) => outputs`. It never touches the
 * file system, the clock or the shell: the runner reads every declared input into an `Artifact`,
 * hands them over, and stores whatever the step returns as files in the step's cache entry.
 * Steps therefore test without temp folders: build `Artifact`s with `artifact()` and call them.
 */

/** One input file, as the runner hands it over. */
export interface Artifact {
  /** Where it came from, relative to the project: `raw/2013/barnet.csv`, or `clean:records.arrow` for another step's output. */
  readonly path: string;
  /** Content hash (sha256, hex) of `bytes`. */
  readonly hash: string;
  /** The whole content (read on first use). */
  readonly bytes: Uint8Array;
  /** UTF-8 text of `bytes` (a leading byte-order mark is kept: stripping it is the step's choice). */
  text(): string;
  /** `JSON.parse(text())`; throws an error naming `path` when the text is not JSON. */
  json<T = unknown>(): T;
}

/** Inputs by the names the pipeline declares; a glob gives zero or more artifacts, sorted by path. */
export type StepInputs = Record<string, Artifact[]>;

/** An output with its row count stated by the step (otherwise the runner counts CSV/NDJSON lines and JSON arrays). */
export interface OutputFile {
  content: string | Uint8Array;
  rows?: number;
}

/** Output files by name (a relative path such as `tables/table2.csv`); the runner writes them atomically. */
export type StepOutputs = Record<string, string | Uint8Array | OutputFile>;

export type StepFunction<P = any> = (inputs: StepInputs, params: P) => StepOutputs | Promise<StepOutputs>;

/** An output's content as bytes (UTF-8 for text). */
export function outputBytes(value: StepOutputs[string]): Uint8Array {
  const content = typeof value === 'string' || value instanceof Uint8Array ? value : value.content;
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

/** Every output's content, in name order (for tests and in-process callers). */
export function readOutputs(outputs: StepOutputs): Record<string, Uint8Array> {
  return Object.fromEntries(Object.keys(outputs).sort().map((n) => [n, outputBytes(outputs[n]!)]));
}

/**
 * An error about data, carrying where it is and what was found. Steps throw it (or subclass it);
 * the runner formats it once, naming the step.
 */
export class DataError extends Error {
  constructor(
    message: string,
    readonly where: { file?: string; line?: number; column?: string; path?: string; value?: unknown } = {},
  ) {
    super(message);
    this.name = 'DataError';
  }

  /** `file:line, column "x", value "v": message` — the one place a data error is formatted. */
  describe(): string {
    const { file, line, column, path, value } = this.where;
    const at = [
      file && (line !== undefined ? `${file}:${line}` : file),
      column !== undefined && `column "${column}"`,
      path !== undefined && `at ${path}`,
      value !== undefined && `value ${shownValue(value)}`,
    ].filter(Boolean);
    return at.length ? `${at.join(', ')}: ${this.message}` : this.message;
  }
}

/**
 * A DataError that hands over what the step had made when it stopped (rejected rows and their reasons,
 * a report): the runner keeps those files in derived/<step>/failed/<key>/, which the cache never serves
 * as a result, and names the folder in the message.
 */
export class DataErrorWithOutputs extends DataError {
  constructor(
    message: string,
    where: DataError['where'],
    readonly partialOutputs: StepOutputs,
  ) {
    super(message, where);
    this.name = 'DataErrorWithOutputs';
  }
}

const SHOWN_CHARACTERS = 80;

/** A value as a message shows it: JSON-quoted (control characters escaped), a long one cut with its length. */
export function shownValue(value: unknown): string {
  const text = typeof value === 'string' && value.length > SHOWN_CHARACTERS ? value.slice(0, SHOWN_CHARACTERS) : value;
  const shown = JSON.stringify(text) ?? String(value);
  return text === value ? shown : `${shown.slice(0, -1)}…" (${(value as string).length.toLocaleString('en')} characters)`;
}

/** Builds an in-memory artifact: what tests hand to steps. */
export function artifact(path: string, content: string | Uint8Array, hash = ''): Artifact {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return lazyArtifact(path, hash, () => bytes);
}

/** An artifact whose content is fetched only when first asked for (the runner's, from files). */
export function lazyArtifact(path: string, hash: string, load: () => Uint8Array): Artifact {
  let bytes: Uint8Array | undefined;
  let text: string | undefined;
  return {
    path,
    hash,
    get bytes() {
      return (bytes ??= load());
    },
    text() {
      return (text ??= new TextDecoder('utf-8', { ignoreBOM: true }).decode(this.bytes));
    },
    json<T>() {
      const text = this.text();
      try {
        return JSON.parse(text) as T;
      } catch (e) {
        // JSON.parse names a character offset; a researcher opens the file at a line and column.
        const message = (e as Error).message.replace(/ in JSON at position \d+.*$/, '');
        const at = /at position (\d+)/.exec((e as Error).message);
        if (!at) throw new DataError(`not valid JSON (${message})`, { file: path });
        const before = text.slice(0, Number(at[1]));
        const line = before.split('\n').length;
        const column = before.length - before.lastIndexOf('\n');
        throw new DataError(`not valid JSON: ${message} at column ${column}; open the file at this line and correct it`, { file: path, line });
      }
    },
  };
}
