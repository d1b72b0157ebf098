import { createHash } from 'node:crypto';

/** sha256 of bytes or UTF-8 text, as lowercase hex. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * JSON with object keys sorted at every depth and no insignificant white space, so that a value
 * hashes the same however its keys were written. `undefined` members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortKeys(member);
  }
  return out;
}

/** A hash shortened for people to read; full hashes stay in manifests. */
export const short = (hash: string) => hash.slice(0, 12);
