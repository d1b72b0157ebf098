/**
 * validate's record checks spread over this thread and a worker thread (threads/worker-thread.ts): the blocks of
 * a records file are checked wherever a thread is free and merged by block number, so the result is the
 * same with or without the worker. Small files are checked here alone: starting the worker costs a few
 * hundred milliseconds.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { runWithWorker, serveWorker } from '../threads/worker-thread.js';
import { checkBlock, type BlockResult } from './record-check.js';

const TAG = 'coproduction-record-check';

/** The record schema as validate compiles it; the worker compiles the same schema with the same options. */
export function compileRecordSchema(schema: unknown): ValidateFunction {
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema as object);
}

export interface PoolOptions {
  /** Fewest blocks worth starting the worker for. */
  minBlocksForWorker: number;
}

interface Init {
  schema: unknown;
  files: readonly string[];
}

const stops = (r: BlockResult) => r.error !== undefined || r.notUtf8 !== undefined;

/**
 * Results of `checkBlock` for every block in `blocks` (byte ranges of `bytes`), in block order, and how
 * many blocks the worker checked. After the first block holding an error, later blocks may be left
 * unchecked (undefined): validate stops there.
 */
export function checkBlocks(
  bytes: Uint8Array,
  blocks: readonly [number, number][],
  files: readonly string[],
  schema: unknown,
  check: ValidateFunction,
  options: PoolOptions = { minBlocksForWorker: 32 },
): { results: (BlockResult | undefined)[]; workerBlocks: number } {
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const results: (BlockResult | undefined)[] = new Array(blocks.length).fill(undefined);
  const here = (i: number) => checkBlock(bytes.subarray(blocks[i]![0], blocks[i]![1]), fileIndex, files.length, check);
  if (blocks.length < options.minBlocksForWorker) {
    for (let i = 0; i < blocks.length; i++) if (stops((results[i] = here(i)))) break;
    return { results, workerBlocks: 0 };
  }
  const { workerTasks } = runWithWorker<Uint8Array, BlockResult, BlockResult>(blocks.length, {
    module: import.meta.url,
    tag: TAG,
    init: { schema, files } satisfies Init,
    inFlight: 2,
    post: (i) => {
      const view = bytes.subarray(blocks[i]![0], blocks[i]![1]);
      // Input in shared memory (as the runner reads large files) goes as it is: the worker reads it in place.
      if (view.buffer instanceof SharedArrayBuffer) return { input: view };
      // Otherwise a copy of the block in a buffer of its own, moved (not copied again) to the worker. Not
      // `bytes.slice()`: on a Node Buffer that shares memory, and moving it would take the input away.
      const block = new Uint8Array(view);
      return { input: block, transfer: [block.buffer] };
    },
    here,
    fromWorker: (output) => output,
    deliver: (r, i) => (results[i] = r),
    stops,
  });
  return { results, workerBlocks: workerTasks };
}

serveWorker<Uint8Array, BlockResult>(TAG, ({ schema, files }: Init) => {
  const check = compileRecordSchema(schema);
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  return (block) => {
    const output = checkBlock(block, fileIndex, files.length, check);
    return { output, transfer: [output.idHashes.buffer as ArrayBuffer, output.idOffsets.buffer as ArrayBuffer] };
  };
});
