/**
 * Content hashes of files, remembered by their stat (size, mtime, inode) as DVC's state database does,
 * so that a re-run with nothing changed reads no file twice. The state lives in `derived/.state.json`;
 * losing it only costs re-hashing.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { relative } from 'node:path';
import { sha256 } from './hash.js';
import { writeFileAtomic } from './atomic.js';

interface Remembered {
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
}

export class FileState {
  private entries: Record<string, Remembered>;
  private changed = false;

  constructor(private readonly root: string, private readonly statePath: string) {
    try {
      const parsed = JSON.parse(readFileSync(statePath, 'utf8'));
      this.entries = parsed && parsed.format === 'file-state/1' && typeof parsed.files === 'object' ? parsed.files : {};
    } catch {
      this.entries = {};
    }
  }

  /** Hash and size of a file, re-read only when its stat differs from the remembered one (or when `rehash`). */
  hash(path: string, rehash = false): { hash: string; bytes: number } {
    const stat = statSync(path);
    const key = relative(this.root, path);
    const known = this.entries[key];
    if (!rehash && known && sameStat(known, stat)) return { hash: known.hash, bytes: stat.size };
    return this.remember(path, readFileSync(path), stat);
  }

  /** Reads a file and records its hash (what the runner does before handing a file to a step). */
  read(path: string): { content: Buffer; hash: string } {
    const content = readFileSync(path);
    const stat = statSync(path);
    return { content, hash: this.remember(path, content, stat).hash };
  }

  /** Records the hash of content the runner has just written. */
  remember(path: string, content: Uint8Array, stat: Stats = statSync(path)): { hash: string; bytes: number } {
    const hash = sha256(content);
    this.entries[relative(this.root, path)] = { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, hash };
    this.changed = true;
    return { hash, bytes: stat.size };
  }

  /** Records a hash computed while the file was written (no second read). */
  rememberHash(path: string, hash: string): void {
    const stat = statSync(path);
    this.entries[relative(this.root, path)] = { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, hash };
    this.changed = true;
  }

  /** Writes the state back if anything was learned; files that no longer exist are forgotten. */
  save(exists: (relativePath: string) => boolean): void {
    if (!this.changed) return;
    const files: Record<string, Remembered> = {};
    for (const key of Object.keys(this.entries).sort()) if (exists(key)) files[key] = this.entries[key]!;
    writeFileAtomic(this.statePath, JSON.stringify({ format: 'file-state/1', files }));
    this.changed = false;
  }
}

const sameStat = (known: Remembered, stat: Stats) =>
  known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.ino === stat.ino;
