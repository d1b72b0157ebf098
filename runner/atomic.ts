/**
 * Writes that are all-or-nothing: content goes to a temporary name beside its target and is renamed
 * into place, so a process killed mid-write leaves either the old file or the new one, never half.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

let counter = 0;

/** A name beside `path` that no other process or call will pick. */
export function temporaryName(path: string): string {
  return join(dirname(path), `.tmp-${basename(path)}-${process.pid}-${++counter}`);
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = temporaryName(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
