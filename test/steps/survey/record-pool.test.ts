import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inReusedBuffer } from '../../reused-buffer.js';
import { keyHash } from '../../../steps/survey/id-table.js';
import { checkBlock, idKey } from '../../../steps/survey/record-check.js';
import { checkPieces, compileRecordSchema, type CheckedRun } from '../../../steps/survey/record-pool.js';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/record.schema.json', import.meta.url), 'utf8'));
const check = compileRecordSchema(schema);
const file = 'raw/2013/swansea.csv';
const record = (id: string, line: number, conditions: unknown = 4) =>
  JSON.stringify({ wave: 2013, area: 'Swansea', respondent_id: id, source: { file, line }, themes: { environment: { join_groups: 1, conditions } } });

function ndjson(n: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(i % 17 === 5 ? record(`r${i}`, i + 2, 99) : i % 23 === 0 ? '' : record(`r${i % 150}`, i + 2));
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

function checked(pieces: Iterable<Uint8Array>, piecesBeforeWorker: number): { runs: CheckedRun[]; workerPieces: number } {
  const runs: CheckedRun[] = [];
  const all = checkPieces(pieces, [file], schema, check, { piecesBeforeWorker });
  for (let step = all.next(); ; step = all.next()) {
    if (step.done) return { runs, workerPieces: step.value.workerPieces };
    runs.push(step.value);
  }
}

/** What the checks found, by byte offset in the input: the same however the input was cut and checked. */
function found(runs: CheckedRun[]) {
  return {
    lines: runs.reduce((n, r) => n + r.result.lines, 0),
    failures: runs.flatMap((r) => r.result.failures.map((f) => ({ ...f, at: r.base + f.at }))),
    empties: runs.flatMap((r) => r.result.empties.map((at) => r.base + at)),
    ids: runs.flatMap((r) => [...r.result.idOffsets].map((at, k) => [r.base + at, r.result.idHashes[k], r.result.idFiles[k], String.fromCharCode(...r.result.keys.subarray(k ? r.result.keyEnds[k - 1] : 0, r.result.keyEnds[k]))])),
  };
}

test('records read in pieces into a reused buffer and checked on the worker thread give what checking them whole here gives', () => {
  const bytes = ndjson(400);
  const whole = checked([bytes], Infinity);
  assert.is(whole.workerPieces, 0);
  assert.is(whole.runs.length, 1);
  for (const [size, before] of [[600, Infinity], [600, 0], [600, 3], [1, Infinity], [97, 0]] as const) {
    const pieces = checked(inReusedBuffer(bytes, size), before);
    if (before !== Infinity) assert.ok(pieces.workerPieces > 0, `the worker checked some pieces (${size} bytes, ${before} before it)`);
    assert.equal(found(pieces.runs), found(whole.runs), `pieces of ${size} bytes, worker after ${before}`);
  }
  const all = found(whole.runs);
  assert.ok(all.failures.length > 0 && all.empties.length > 0, 'some records fail the schema, some lines are empty');
  assert.is(all.ids[2]![3], `2013\u0000Swansea\u0000r3`, 'the keys are kept, to confirm equal hashes');
});

test('after the first run with a bad line nothing more is checked, but the input is still read to its end', () => {
  const good = new TextDecoder().decode(ndjson(200));
  const bytes = new TextEncoder().encode(good + '{not json\n' + good);
  for (const before of [Infinity, 0]) {
    const reads = { pieces: 0, toEnd: false };
    const { runs } = checked(inReusedBuffer(bytes, 600, reads), before);
    const bad = runs.findIndex((r) => r.result.error);
    assert.is(bad, runs.length - 1, 'the run with the error is the last one handed out');
    assert.ok(runs.slice(0, bad).every((r) => !r.result.error), 'every run before it was checked');
    assert.match(runs[bad]!.result.error!.message, 'not a JSON record');
    assert.ok(reads.toEnd, `read to the end (worker after ${before} pieces)`);
    assert.ok(runs.length < reads.pieces, 'later pieces were read but not checked');
  }
});

test('a caller that stops early closes the reading', () => {
  for (const before of [Infinity, 0]) {
    const reads = { pieces: 0, toEnd: false };
    let closed = false;
    function* watched() {
      try {
        yield* inReusedBuffer(ndjson(400), 600, reads);
      } finally {
        closed = true;
      }
    }
    for (const run of checkPieces(watched(), [file], schema, check, { piecesBeforeWorker: before })) if (run.result.lines) break;
    assert.ok(closed, `closed (worker after ${before} pieces)`);
    // With the worker, this thread may have read every piece while waiting for the first result.
    if (before === Infinity) assert.not.ok(reads.toEnd);
  }
});

test('each respondent key is kept exactly, as UTF-16 code units, with the hash of its text', () => {
  // Plain, non-ASCII, astral, an escaped lone surrogate, an empty ID, and a record without a string ID.
  const ids = ['r1', 'Zoë-7', 'id-😀', '\ud800x', '', 42];
  const lines = ids.map((id, i) => record(id as string, i + 2));
  const result = checkBlock(new TextEncoder().encode(lines.join('\n') + '\n'), new Map([[file, 0]]), 1, check);
  const records = lines.map((l) => JSON.parse(l)).filter((r) => typeof r.respondent_id === 'string');
  const kept = records.map((_, k) => String.fromCharCode(...result.keys.subarray(k ? result.keyEnds[k - 1] : 0, result.keyEnds[k])));
  assert.equal(kept, records.map(idKey));
  assert.equal([...result.idHashes], records.map((r) => keyHash(idKey(r))));
  assert.is(kept[3], '2013\u0000Swansea\u0000\ud800x', 'a lone surrogate is kept as it is');
});

test.run();
