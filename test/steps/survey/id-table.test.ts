import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FirstSeen, keyHash, SeenKeys } from '../../../steps/survey/id-table.js';
import type { BlockResult } from '../../../steps/survey/record-check.js';

function table(keys: string[]) {
  const seen = new FirstSeen((line) => keys[line]!);
  return keys.map((k, i) => seen.add(k, i));
}

test('a key seen before returns the line it was first seen on; new keys return -1', () => {
  assert.equal(table(['a', 'b', 'a', 'c', 'b', 'a']), [-1, -1, 0, -1, 1, 0]);
});

test('keys whose 32-bit hashes collide stay distinct respondents', () => {
  // "id522789" and "id739192" have the same FNV-1a hash.
  assert.equal(table(['id522789', 'id739192', 'id739192']), [-1, -1, 1]);
});

test('no false repeats among many distinct keys, across table growth', () => {
  const keys = Array.from({ length: 20000 }, (_, i) => `2013\u0000Bristol\u0000${100000 + i}`);
  assert.ok(table(keys).every((x) => x === -1));
});

test('keys hashed elsewhere find the same repeats, read back through keyOf when hashes meet', () => {
  const keys = ['a', 'id522789', 'b', 'id739192', 'a', 'id739192'];
  const seen = new FirstSeen((id) => keys[id]!);
  assert.equal(keys.map((k, i) => seen.addHashed(keyHash(k), i)), [-1, -1, -1, -1, 0, 3]);
});

/** A checked run holding these keys, at these offsets within the run, all from file 0. */
function run(keys: string[], offsets: number[]): BlockResult {
  const ends: number[] = [];
  keys.reduce((n, k) => (ends.push(n + k.length), n + k.length), 0);
  return {
    lines: keys.length,
    perFile: [keys.length],
    failures: [],
    idHashes: Uint32Array.from(keys.map(keyHash)),
    idOffsets: Uint32Array.from(offsets),
    idFiles: new Uint32Array(keys.length),
    keys: Uint16Array.from(keys.join(''), (c) => c.charCodeAt(0)),
    keyEnds: Uint32Array.from(ends),
    empties: [],
  };
}

test('keys kept run by run are read back by number, with where their record lies', () => {
  const seen = new SeenKeys();
  const runs = [run(['a', 'bb'], [0, 10]), run([], []), run(['id522789', 'c', ''], [0, 5, 9]), run(['id739192'], [3])];
  const bases = [0, 20, 20, 1_000_000];
  assert.equal(runs.map((r, k) => seen.addRun(r, bases[k]!)), [0, 2, 2, 5]);
  assert.equal([0, 1, 2, 3, 4, 5].map((id) => seen.key(id)), ['a', 'bb', 'id522789', 'c', '', 'id739192']);
  assert.equal([0, 1, 2, 3, 4, 5].map((id) => seen.offset(id)), [0, 10, 20, 25, 29, 1_000_003]);
  // Over a table's growth (1,024 at first).
  const many = new SeenKeys();
  for (let r = 0; r < 30; r++) many.addRun(run(Array.from({ length: 100 }, (_, k) => `k${r * 100 + k}`), Array.from({ length: 100 }, (_, k) => k)), r * 1000);
  assert.is(many.key(2999), 'k2999');
  assert.is(many.offset(2999), 29_099);
});

test.run();
