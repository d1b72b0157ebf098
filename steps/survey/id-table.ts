import type { BlockResult } from './record-check.js';

/**
 * Finds repeated keys (wave, area, respondent ID) among a million records in a few MB: an open-addressing
 * table of 32-bit hashes and record ids (a line number, or a record's number). Equal hashes are confirmed
 * by reading the earlier key back through `keyOf`, so a hash collision never makes two respondents into
 * one. `SeenKeys` holds what validate keeps of each record for that: where it lies, and its key.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over the text's UTF-16 code units: cheap, and the same on every thread and run. */
export function keyHash(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** `keyHash` of the text that `units[from, to)` spell, as code units. */
export function keyHashOfUnits(units: Uint16Array, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ units[i]!, FNV_PRIME);
  return h >>> 0;
}

export class FirstSeen {
  private hashes = new Uint32Array(1024);
  /** Id + 1; 0 is an empty slot. */
  private ids = new Uint32Array(1024);
  private size = 0;

  /** @param keyOf reads the key of a record back by its id (only called when hashes collide). */
  constructor(private readonly keyOf: (id: number) => string) {}

  /** Records `key` for `id` (0 ≤ id < 2³² − 1); returns the earlier id with the same key, or -1 if it is new. */
  add(key: string, id: number): number {
    return this.insert(keyHash(key), id, () => key);
  }

  /** As `add`, for a key hashed elsewhere (`keyHash`); the key itself is read through `keyOf` if needed. */
  addHashed(hash: number, id: number): number {
    return this.insert(hash, id, () => this.keyOf(id));
  }

  private insert(h: number, id: number, key: () => string): number {
    if ((this.size + 1) * 2 > this.ids.length) this.grow();
    const mask = this.ids.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const held = this.ids[slot]!;
      if (held === 0) {
        this.hashes[slot] = h;
        this.ids[slot] = id + 1;
        this.size++;
        return -1;
      }
      if (this.hashes[slot] === h && this.keyOf(held - 1) === key()) return held - 1;
    }
  }

  private grow(): void {
    const oldHashes = this.hashes;
    const oldIds = this.ids;
    this.hashes = new Uint32Array(oldIds.length * 2);
    this.ids = new Uint32Array(oldIds.length * 2);
    const mask = this.ids.length - 1;
    for (let i = 0; i < oldIds.length; i++) {
      if (oldIds[i] === 0) continue;
      let slot = oldHashes[i]! & mask;
      while (this.ids[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[slot] = oldHashes[i]!;
      this.ids[slot] = oldIds[i]!;
    }
  }
}

/**
 * Respondent keys seen in the first reading, numbered in input order: where each record lies, its
 * source file, and the key itself (read back only to confirm an equal hash).
 */
export class SeenKeys {
  private offsets = new Float64Array(1024);
  private files = new Uint32Array(1024);
  private count = 0;
  private runFirst: number[] = [];
  private runKeys: Uint16Array[] = [];
  private runEnds: Uint32Array[] = [];

  /** Adds a checked run's keys (`base`: the run's offset in the input); returns the number of its first. */
  addRun(r: BlockResult, base: number): number {
    const first = this.count;
    const added = r.idHashes.length;
    if (first + added > this.offsets.length) {
      const size = Math.max(this.offsets.length * 2, first + added);
      const offsets = new Float64Array(size);
      offsets.set(this.offsets);
      const files = new Uint32Array(size);
      files.set(this.files);
      this.offsets = offsets;
      this.files = files;
    }
    for (let k = 0; k < added; k++) {
      this.offsets[first + k] = base + r.idOffsets[k]!;
      this.files[first + k] = r.idFiles[k]!;
    }
    this.count += added;
    if (added > 0) {
      this.runFirst.push(first);
      this.runKeys.push(r.keys);
      this.runEnds.push(r.keyEnds);
    }
    return first;
  }

  offset(id: number): number {
    return this.offsets[id]!;
  }

  file(id: number): number {
    return this.files[id]!;
  }

  key(id: number): string {
    // The last run starting at or before id.
    let lo = 0;
    let hi = this.runFirst.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.runFirst[mid]! <= id) lo = mid;
      else hi = mid - 1;
    }
    const k = id - this.runFirst[lo]!;
    const ends = this.runEnds[lo]!;
    return fromCodeUnits(this.runKeys[lo]!.subarray(k === 0 ? 0 : ends[k - 1], ends[k]));
  }
}

/** The string of these UTF-16 code units, exactly (a lone surrogate stays one), a slice at a time. */
function fromCodeUnits(units: Uint16Array): string {
  let text = '';
  for (let at = 0; at < units.length; at += 8192) text += String.fromCharCode(...units.subarray(at, at + 8192));
  return text;
}
