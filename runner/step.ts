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
  /**
   * The content in pieces of about `size` bytes, read as they are consumed: a step that can work
   * through a large input piece by piece never has to hold it whole. A piece is valid only until the
   * next one is asked for (its memory is reused): copy what must outlive it.
   */
  chunks(size?: number): Iterable<Uint8Array>;
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

/**
 * An output the runner writes piece by piece as the step's iterable yields it, so that a large output
 * never sits in memory whole. The runner consumes streamed outputs first, one at a time, in name order,
 * and writes each piece before asking for the next: a piece is valid only until then (its memory may be
 * reused), and a reader that keeps pieces must copy them. `rows` may be a function, called once the
 * pieces have all been read.
 */
export interface StreamedOutput {
  chunks: Iterable<Uint8Array | string>;
  rows?: number | (() => number);
}

/**
 * An output known only once the step's streamed outputs have been read (a summary of what they held):
 * the runner calls it after writing every streamed output.
 */
export type DeferredOutput = () => string | Uint8Array | OutputFile;

/** What a step that streams some of its outputs returns. */
export type StreamingStepOutputs = Record<string, string | Uint8Array | OutputFile | StreamedOutput | DeferredOutput>;

export type StepFunction<P = any> = (inputs: StepInputs, params: P) => StreamingStepOutputs | Promise<StreamingStepOutputs>;

const isStreamed = (value: StreamingStepOutputs[string]): value is StreamedOutput => typeof value === 'object' && 'chunks' in value;

/** Output names in the order the runner writes them: streamed outputs first, each group in name order. */
export function outputOrder(outputs: StreamingStepOutputs): string[] {
  const names = Object.keys(outputs).sort();
  return [...names.filter((n) => isStreamed(outputs[n]!)), ...names.filter((n) => !isStreamed(outputs[n]!))];
}

/** An output's whole content, streamed pieces copied as they come, a deferred output called. */
export function outputBytes(value: StreamingStepOutputs[string]): Uint8Array {
  const encode = (v: string | Uint8Array) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);
  if (typeof value === 'function') return outputBytes(value());
  if (typeof value === 'string' || value instanceof Uint8Array) return encode(value);
  if ('content' in value) return encode(value.content);
  // Copied one by one: a piece's memory may be reused for the next.
  const parts: Uint8Array[] = [];
  for (const piece of value.chunks) parts.push(typeof piece === 'string' ? encode(piece) : piece.slice());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Every output's content, read as the runner reads them (for tests and in-process callers). */
export function readOutputs(outputs: StreamingStepOutputs): Record<string, Uint8Array> {
  const read: Record<string, Uint8Array> = {};
  for (const name of outputOrder(outputs)) read[name] = outputBytes(outputs[name]!);
  return Object.fromEntries(Object.keys(read).sort().map((n) => [n, read[n]!]));
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

const CHUNK = 8 * 1024 * 1024;

/** Builds an in-memory artifact: what tests hand to steps. */
export function artifact(path: string, content: string | Uint8Array, hash = ''): Artifact {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return lazyArtifact(path, hash, {
    load: () => bytes,
    chunks: (size) => artifactChunks(bytes, size),
  });
}

/** An artifact whose content is fetched only when asked for, whole or in pieces (the runner's, from files). */
export function lazyArtifact(path: string, hash: string, source: { load(): Uint8Array; chunks(size: number): Iterable<Uint8Array> }): Artifact {
  let bytes: Uint8Array | undefined;
  let text: string | undefined;
  return {
    path,
    hash,
    get bytes() {
      return (bytes ??= source.load());
    },
    chunks(size = CHUNK) {
      return bytes ? artifactChunks(bytes, size) : source.chunks(size);
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

function* artifactChunks(bytes: Uint8Array, size: number): Iterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, Math.min(at + size, bytes.length));
}
