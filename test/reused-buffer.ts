/**
 * `bytes` in pieces of `size` bytes, each read into one reused buffer, as the runner reads a large file:
 * a piece is written over once the next is asked for. `reads` counts the pieces read and says whether
 * the reading reached its end.
 */
export function* inReusedBuffer(bytes: Uint8Array, size: number, reads: { pieces: number; toEnd: boolean } = { pieces: 0, toEnd: false }): Generator<Uint8Array> {
  const buffer = new Uint8Array(size);
  for (let at = 0; at < bytes.length; at += size) {
    const n = Math.min(size, bytes.length - at);
    buffer.set(bytes.subarray(at, at + n));
    reads.pieces++;
    yield buffer.subarray(0, n);
  }
  reads.toEnd = true;
}
