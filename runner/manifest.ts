/** The record kept beside every cache entry's outputs; its shape is schemas/manifest.schema.json. */

export const CACHE_FORMAT = 1;

export interface InputFileRecord {
  /** `raw/2013/barnet.csv` for a project file, `clean:records.arrow` for another step's output. */
  path: string;
  hash: string;
  bytes: number;
}

/** Everything that can change a step's result; its canonical JSON hashes to the cache key. */
export interface KeyComponents {
  cacheFormat: number;
  module: string;
  code: Record<string, string>;
  dependencies: Record<string, string>;
  runtime: Record<string, string>;
  params: unknown;
  inputs: Record<string, InputFileRecord[]>;
}

export interface OutputRecord {
  name: string;
  hash: string;
  bytes: number;
  rows: number | null;
}

export interface Manifest {
  format: 'pipeline-manifest/1';
  step: string;
  key: string;
  components: KeyComponents;
  lineage: Record<string, string>;
  /** Parameters set on the command line (`-S step.param=value`) that differ from pipeline.ts, by path. */
  overrides?: Record<string, unknown>;
  outputs: OutputRecord[];
  run: { startedAt: string; durationMs: number; host: string; pid: number; node: string; gitCommit?: string | null };
}

/** Row count of an output the step did not count itself: data lines of CSV/NDJSON, elements of a JSON array. */
export function countRows(name: string, content: Uint8Array): number | null {
  if (/\.(csv|tsv)$/.test(name)) return Math.max(0, countLines(content) - 1);
  if (/\.(ndjson|jsonl)$/.test(name)) return countLines(content);
  if (name.endsWith('.json') && content[0] === 0x5b /* [ */) {
    try {
      const parsed = JSON.parse(Buffer.from(content).toString('utf8'));
      return Array.isArray(parsed) ? parsed.length : null;
    } catch {
      return null;
    }
  }
  return null;
}

function countLines(content: Uint8Array): number {
  let lines = newlines(content);
  if (content.length > 0 && content[content.length - 1] !== 0x0a) lines++;
  return lines;
}

/** Line feeds in `bytes`, found by indexOf (a native search: far quicker than a loop over every byte). */
function newlines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}
