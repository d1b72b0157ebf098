/**
 * Finds repeated keys (wave, area, respondent ID) among a million records in a few MB: an open-addressing
 * table of 32-bit hashes and line numbers. Equal hashes are confirmed by reading the earlier key back
 * through `keyOf`, so a hash collision never makes two respondents into one.
 */

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class FirstSeen {
  private hashes = new Uint32Array(1024);
  /** Line index + 1; 0 is an empty slot. */
  private lines = new Int32Array(1024);
  private size = 0;

  /** @param keyOf reads the key of an earlier line back (only called when hashes collide). */
  constructor(private readonly keyOf: (line: number) => string) {}

  /** Records `key` for `line`; returns the earlier line with the same key, or -1 if it is new. */
  add(key: string, line: number): number {
    if ((this.size + 1) * 2 > this.lines.length) this.grow();
    const h = fnv1a(key);
    const mask = this.lines.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const held = this.lines[slot]!;
      if (held === 0) {
        this.hashes[slot] = h;
        this.lines[slot] = line + 1;
        this.size++;
        return -1;
      }
      if (this.hashes[slot] === h && this.keyOf(held - 1) === key) return held - 1;
    }
  }

  private grow(): void {
    const oldHashes = this.hashes;
    const oldLines = this.lines;
    this.hashes = new Uint32Array(oldLines.length * 2);
    this.lines = new Int32Array(oldLines.length * 2);
    const mask = this.lines.length - 1;
    for (let i = 0; i < oldLines.length; i++) {
      if (oldLines[i] === 0) continue;
      let slot = oldHashes[i]! & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[slot] = oldHashes[i]!;
      this.lines[slot] = oldLines[i]!;
    }
  }
}
