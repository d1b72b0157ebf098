/**
 * NDJSON lines assembled as bytes in a reused buffer: clean writes a million records from ready-made
 * UTF-8 pieces (template text, coded values), which is cheaper than joining strings and encoding each
 * record, and hands the finished lines on a block at a time. The bytes are exactly those of the joined
 * JSON text.
 */
const encoder = new TextEncoder();

export class RecordLine {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  private at = 0;
  /** Where the line being written starts: the lines before it are kept (see `keep`). */
  private lineStart = 0;
  private keptLines = 0;

  /** Begins a new line (an unfinished one is dropped). */
  start(first: Uint8Array): void {
    this.at = this.lineStart;
    this.bytes(first);
  }

  /**
   * Ends the line with a newline and keeps it after the lines kept before: a writer takes many lines at
   * once (`take`), instead of copying each one on its own.
   */
  keep(): void {
    if (this.at + 1 > this.buf.length) this.grow(1);
    this.buf[this.at++] = 10;
    this.lineStart = this.at;
    this.keptLines++;
  }

  /** Bytes of the kept lines. */
  get keptBytes(): number {
    return this.lineStart;
  }

  /** The kept lines, each ending in a newline (valid until the next `start`), and how many; then forgets them. */
  take(): { bytes: Uint8Array; lines: number } {
    const out = { bytes: this.buf.subarray(0, this.lineStart), lines: this.keptLines };
    this.at = this.lineStart = 0;
    this.keptLines = 0;
    return out;
  }

  /**
   * Bytes prepared by `wordsOf`: written four at a time. Up to three bytes past the end are written
   * too, and written over by whatever follows.
   */
  words(src: Words): void {
    const w = src.words;
    if (this.at + w.length * 4 > this.buf.length) this.grow(w.length * 4);
    const view = this.view;
    let at = this.at;
    for (let k = 0; k < w.length; k++, at += 4) view.setInt32(at, w[k]!, true);
    this.at += src.length;
  }

  bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.at + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let at = this.at;
    // Most pieces are a few bytes: a loop beats set() for those.
    if (n > 32) {
      buf.set(src, at);
      at += n;
    } else for (let k = 0; k < n; k++) buf[at++] = src[k]!;
    this.at = at;
  }

  /** A non-negative whole number, as JSON writes it. */
  integer(value: number): void {
    if (!(Number.isSafeInteger(value) && value >= 0)) return this.text(JSON.stringify(value));
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    if (this.at + digits > this.buf.length) this.grow(digits);
    let v = value;
    for (let k = this.at + digits - 1; k >= this.at; k--) {
      this.buf[k] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.at += digits;
  }

  /** A string as JSON.stringify writes it (null for null). */
  jsonString(value: string | null): void {
    if (value === null) return this.text('null');
    const n = value.length;
    if (this.at + n + 2 > this.buf.length) this.grow(n + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 34;
    for (let k = 0; k < n; k++) {
      const c = value.charCodeAt(k);
      // Plain ASCII only; quotes, backslashes, control and non-ASCII characters take JSON.stringify's path.
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) return this.text(JSON.stringify(value));
      buf[at++] = c;
    }
    buf[at++] = 34;
    this.at = at;
  }

  /** `src[from, to)` in quotes: the caller has checked it is printable ASCII without quote or backslash. */
  quotedAscii(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.at + n + 2 > this.buf.length) this.grow(n + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 34;
    for (let k = from; k < to; k++) buf[at++] = src[k]!;
    buf[at++] = 34;
    this.at = at;
  }

  private text(s: string): void {
    if (this.at + s.length * 3 > this.buf.length) this.grow(s.length * 3);
    this.at += encoder.encodeInto(s, this.buf.subarray(this.at)).written;
  }

  private grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + extra));
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

/** Bytes as little-endian 32-bit words (the last one padded with zeros), for `RecordLine.words`. */
export interface Words {
  words: Int32Array;
  length: number;
}

export function wordsOf(bytes: Uint8Array): Words {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const words = new Int32Array(padded.length / 4);
  for (let k = 0; k < words.length; k++) words[k] = view.getInt32(k * 4, true);
  return { words, length: bytes.length };
}
