/**
 * NDJSON as bytes. A million canonical records (about 730 MB) run past V8's longest string (about 512 MB),
 * and joining blocks at the end would hold the output twice. So outputs grow in place: one resizable
 * ArrayBuffer, extended in steps (V8 commits pages without copying), each line encoded straight into it.
 * Inputs are read back in blocks of whole lines.
 */

interface Resizable extends ArrayBuffer {
  resize(byteLength: number): void;
}

/** Largest output one builder holds (the most a resizable ArrayBuffer may reserve in Node 20). */
const MAX_BYTES = 2 ** 32 - 1;
const MAX_STEP = 16 * 1024 * 1024;
const encoder = new TextEncoder();

/** Appends text and bytes to one growing buffer. */
export class ByteBuilder {
  private buffer = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(0, { maxByteLength: MAX_BYTES });
  /** A length-tracking view: it follows the buffer as it grows. */
  private view = new Uint8Array(this.buffer);
  private used = 0;

  private reserve(extra: number): void {
    const need = this.used + extra;
    if (need <= this.buffer.byteLength) return;
    if (need > MAX_BYTES) throw new RangeError(`output would exceed ${MAX_BYTES} bytes`);
    // Grow by the current size (at least 64 KB, at most 16 MB: grown pages are zeroed, so count in RSS).
    const step = Math.min(MAX_STEP, Math.max(64 * 1024, this.buffer.byteLength));
    this.buffer.resize(Math.min(MAX_BYTES, Math.max(need, this.buffer.byteLength + step)));
  }

  appendText(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    this.reserve(text.length * 3);
    this.used += encoder.encodeInto(text, this.view.subarray(this.used)).written;
  }

  /** Appends `text` and a newline. */
  appendLine(text: string): void {
    this.reserve(text.length * 3 + 1);
    this.used += encoder.encodeInto(text, this.view.subarray(this.used)).written;
    this.view[this.used++] = 10;
  }

  appendBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.view.set(bytes, this.used);
    this.used += bytes.length;
  }

  get length(): number {
    return this.used;
  }

  finish(): Uint8Array {
    this.buffer.resize(this.used);
    return new Uint8Array(this.buffer);
  }
}

/** Collects lines; `finish()` returns them as one UTF-8 buffer, each line ending in `\n`. */
export class NdjsonWriter {
  private out = new ByteBuilder();
  count = 0;

  push(line: string): void {
    this.out.appendLine(line);
    this.count++;
  }

  finish(): Uint8Array {
    return this.out.finish();
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Calls `each(line, index, start, end)` for every non-empty line of an NDJSON buffer, decoding a few MB at a
 * time; `start`/`end` are the line's byte offsets (end excludes the newline).
 */
export function forEachLine(bytes: Uint8Array, each: (line: string, index: number, start: number, end: number) => void): number {
  let start = 0;
  let index = 0;
  while (start < bytes.length) {
    let end = Math.min(start + BLOCK_BYTES, bytes.length);
    if (end < bytes.length) {
      const nl = bytes.indexOf(10, end);
      end = nl === -1 ? bytes.length : nl + 1;
    }
    const text = decoder.decode(bytes.subarray(start, end));
    let from = 0;
    let at = start;
    while (from < text.length) {
      let to = text.indexOf('\n', from);
      if (to === -1) to = text.length;
      const lineEnd = bytes.indexOf(10, at);
      const byteEnd = lineEnd === -1 || lineEnd >= end ? end : lineEnd;
      if (to > from) each(text.slice(from, to), index++, at, byteEnd);
      from = to + 1;
      at = byteEnd + 1;
    }
    start = end;
  }
  return index;
}
