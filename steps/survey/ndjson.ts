/**
 * NDJSON as bytes. A million canonical records run past V8's longest string (about 512 MB), so outputs
 * are built from lines encoded in blocks and joined once, and inputs are read back in blocks of whole lines.
 */

const encoder = new TextEncoder();
const BLOCK_CHARS = 4 * 1024 * 1024;

/** Collects lines; `finish()` returns them as one UTF-8 buffer, each line ending in `\n`. */
export class NdjsonWriter {
  private lines: string[] = [];
  private chars = 0;
  private blocks: Uint8Array[] = [];
  private bytes = 0;
  count = 0;

  push(line: string): void {
    this.lines.push(line);
    this.chars += line.length + 1;
    this.count++;
    if (this.chars >= BLOCK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    const block = encoder.encode(this.lines.join('\n') + '\n');
    this.blocks.push(block);
    this.bytes += block.length;
    this.lines = [];
    this.chars = 0;
  }

  finish(): Uint8Array {
    this.flush();
    if (this.blocks.length === 1) return this.blocks[0]!;
    const out = new Uint8Array(this.bytes);
    let at = 0;
    for (const block of this.blocks) {
      out.set(block, at);
      at += block.length;
    }
    this.blocks = [];
    return out;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const BLOCK_BYTES = 4 * 1024 * 1024;

/** Calls `each(line, index)` for every non-empty line of an NDJSON buffer, decoding a few MB at a time. */
export function forEachLine(bytes: Uint8Array, each: (line: string, index: number) => void): number {
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
    while (from < text.length) {
      let to = text.indexOf('\n', from);
      if (to === -1) to = text.length;
      if (to > from) each(text.slice(from, to), index++);
      from = to + 1;
    }
    start = end;
  }
  return index;
}
