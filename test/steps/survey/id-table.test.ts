import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FirstSeen, keyHash } from '../../../steps/survey/id-table.js';

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

test.run();
