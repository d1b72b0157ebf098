/**
 * A .zsav keeps the dictionary of a .sav and stores the bytecode-compressed case data in zlib blocks:
 * after the dictionary, a header (its own offset, the trailer's offset and length), the blocks, and a
 * trailer listing each block's offsets and sizes. The blocks inflate, in order, to the data a .sav holds.
 */
import { inflateSync } from 'node:zlib';
import { DataError } from '../../../contract/step.js';

export function inflateZsav(file: string, bytes: Uint8Array, start: number): Uint8Array {
  const fail = (message: string, value?: unknown): never => {
    throw new DataError(`${message}: the .zsav is truncated or damaged; export it again`, { file, ...(value !== undefined ? { value } : {}) });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const int64 = (at: number): number => {
    if (at + 8 > bytes.length) fail(`the zlib header or trailer runs past the end of the file (byte ${at})`, at);
    return Number(view.getBigInt64(at, true));
  };
  const headerAt = int64(start);
  if (headerAt !== start) fail(`the zlib header should point at itself (byte ${start}) but says ${headerAt}`, headerAt);
  const trailerAt = int64(start + 8);
  const trailerLength = int64(start + 16);
  if (trailerAt + trailerLength > bytes.length || trailerLength < 24) fail(`the zlib trailer (bytes ${trailerAt}–${trailerAt + trailerLength}) lies outside the file of ${bytes.length} bytes`, trailerAt);
  const blocks = view.getInt32(trailerAt + 20, true);
  if (24 + blocks * 24 !== trailerLength) fail(`the zlib trailer lists ${blocks} blocks but is ${trailerLength} bytes long`, blocks);
  const pieces: Uint8Array[] = [];
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const entry = trailerAt + 24 + b * 24;
    const compressedAt = int64(entry + 8);
    const size = view.getInt32(entry + 16, true);
    const compressedSize = view.getInt32(entry + 20, true);
    if (compressedAt + compressedSize > bytes.length) fail(`zlib block ${b + 1} of ${blocks} runs past the end of the file`, b + 1);
    let piece: Uint8Array;
    try {
      piece = inflateSync(bytes.subarray(compressedAt, compressedAt + compressedSize));
    } catch (e) {
      return fail(`zlib block ${b + 1} of ${blocks} does not inflate (${(e as Error).message})`, b + 1);
    }
    if (piece.length !== size) fail(`zlib block ${b + 1} inflates to ${piece.length} bytes, not the ${size} its trailer says`, b + 1);
    pieces.push(piece);
    total += piece.length;
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    data.set(piece, at);
    at += piece.length;
  }
  return data;
}
