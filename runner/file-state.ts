/**
 * Content hashes of files, remembered by their stat (size, mtime, inode) as DVC's state database does,
 * so that a re-run with nothing changed reads no file twice. The state lives in `derived/.state.json`;
 * losing it only costs re-hashing.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
import { sha256, short } from './hash.js';
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
  /** Why the state file could not be used (it is then rebuilt from scratch), if it could not. */
  readonly unreadable: string | undefined;

  constructor(private readonly root: string, readonly statePath: string) {
    this.entries = {};
    let text: string;
    try {
      text = readFileSync(statePath, 'utf8');
    } catch {
      return; // No state yet: every file is hashed once.
    }
    try {
      const parsed = JSON.parse(text);
      if (parsed && parsed.format === 'file-state/1' && parsed.files && typeof parsed.files === 'object') {
        // Entries of the wrong shape are dropped: they would otherwise be trusted as hashes.
        for (const [path, r] of Object.entries(parsed.files as Record<string, Remembered>)) if (wellFormed(r)) this.entries[path] = r;
        const dropped = Object.keys(parsed.files).length - Object.keys(this.entries).length;
        if (dropped) this.unreadable = `${dropped} malformed ${dropped === 1 ? 'entry was' : 'entries were'} dropped`;
      } else this.unreadable = 'it is not a file-state/1 record';
    } catch (e) {
      this.unreadable = `it is not JSON (${(e as Error).message})`;
    }
    if (this.unreadable) this.changed = true;
  }

  /**
   * Re-reads every remembered file whose stat still matches (those are the hashes trusted without
   * reading) and corrects any remembered hash that differs. Returns what was wrong.
   */
  audit(): Array<{ path: string; reason: string }> {
    const wrong: Array<{ path: string; reason: string }> = [];
    for (const [key, known] of Object.entries(this.entries)) {
      let stat: Stats;
      try {
        stat = statSync(join(this.root, key));
      } catch {
        continue; // Gone: forgotten when the state is saved.
      }
      if (!sameStat(known, stat)) continue; // Not trusted: re-hashed when next asked for.
      const { hash } = this.remember(join(this.root, key), readFileSync(join(this.root, key)), stat);
      if (hash !== known.hash) wrong.push({ path: key, reason: `as sha256 ${short(known.hash)}, but the file holds ${short(hash)}` });
    }
    return wrong.sort((a, b) => (a.path < b.path ? -1 : 1));
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

const wellFormed = (r: Remembered) =>
  r !== null && typeof r === 'object' && typeof r.size === 'number' && typeof r.mtimeMs === 'number' && typeof r.ino === 'number' && typeof r.hash === 'string' && /^[0-9a-f]{64}$/.test(r.hash);

const sameStat = (known: Remembered, stat: Stats) =>
  known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.ino === stat.ino;
