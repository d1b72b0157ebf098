/**
 * Versioned raw files: `name.json` is the first version of a file, `name.<v>.json` the version that
 * applies from wildcard value v on (a codebook revised for wave 2014 applies to 2014, 2015, … until a
 * later version). Each branch reads only the version that applies to it.
 */
import { posix } from 'node:path';

const collator = new Intl.Collator('en', { numeric: true });

/** The glob that finds every later version of `base` (`raw/codebooks/barnet.json` → `raw/codebooks/barnet.*.json`). */
export function versionsGlob(base: string): string {
  const { dir, name, ext } = posix.parse(base);
  return posix.join(dir, `${name}.*${ext}`);
}

/** The version token of `file` as a version of `base`, or undefined when it is not one. */
export function versionOf(base: string, file: string): string | undefined {
  const { dir, name, ext } = posix.parse(base);
  const prefix = posix.join(dir, `${name}.`);
  if (!file.startsWith(prefix) || !file.endsWith(ext)) return undefined;
  const token = file.slice(prefix.length, file.length - ext.length);
  return /^[A-Za-z0-9_-]+$/.test(token) ? token : undefined;
}

/**
 * The file that applies at value `upTo`, among `files` (what the two globs found): the version with
 * the greatest value at or before it, ordered as wildcard values are (numerically), else `base` itself
 * if it exists.
 */
export function pickVersion(base: string, files: string[], upTo: string): string | undefined {
  let best: { file: string; version: string } | undefined;
  for (const file of files) {
    const version = versionOf(base, file);
    if (version === undefined || collator.compare(version, upTo) > 0) continue;
    if (!best || collator.compare(version, best.version) > 0) best = { file, version };
  }
  return best?.file ?? (files.includes(base) ? base : undefined);
}
