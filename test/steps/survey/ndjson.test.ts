import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { forEachLine, forEachLineOf, lineBlocks, NdjsonWriter } from '../../../steps/survey/ndjson.js';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const enc = (s: string) => new TextEncoder().encode(s);

test('lines written as text and as ready-made blocks come out in the order written', () => {
  const w = new NdjsonWriter();
  w.push('{"a":1}');
  w.pushLines(enc('{"b":2}\n'), 1);
  w.pushLines(enc('{"c":3}\n{"d":4}\n'), 2);
  w.push('{"é":5}');
  w.push('{"f":6}');
  assert.is(decode(w.finish()), '{"a":1}\n{"b":2}\n{"c":3}\n{"d":4}\n{"é":5}\n{"f":6}\n');
  assert.is(w.count, 6);
});

test('many lines, and one longer than a growth step, survive the trip intact', () => {
  const w = new NdjsonWriter();
  const expected: string[] = [];
  for (let i = 0; i < 30000; i++) {
    const line = `{"i":${i},"pad":"${'x'.repeat(i % 97)}"}`;
    expected.push(line);
    if (i % 2) w.push(line);
    else w.pushLines(enc(line + '\n'), 1);
  }
  const long = `{"long":"${'y'.repeat(17 * 1024 * 1024)}"}`;
  w.pushLines(enc(long + '\n'), 1);
  expected.push(long);
  w.push('{"last":true}');
  expected.push('{"last":true}');
  assert.is(decode(w.finish()), expected.join('\n') + '\n');
  assert.is(w.count, 30002);
});

test('blocks end on line ends, and reading them block by block sees every line and every empty line', () => {
  const text = '{"a":1}\n\n{"bb":2}\n{"ccc":3}\n\n\n{"d":4}';
  const bytes = enc(text);
  const blocks = lineBlocks(bytes, 5);
  assert.equal(blocks.map(([s, e]) => text.slice(s, e)), ['{"a":1}\n', '\n{"bb":2}\n', '{"ccc":3}\n', '\n\n{"d":4}']);
  const lines: string[] = [];
  const empties: number[] = [];
  for (const [s, e] of blocks) forEachLineOf(bytes.subarray(s, e), (line) => lines.push(line), (at) => empties.push(s + at));
  assert.equal(lines, ['{"a":1}', '{"bb":2}', '{"ccc":3}', '{"d":4}']);
  assert.equal(empties, [8, 28, 29]);
  const all: [string, number, number, number][] = [];
  forEachLine(bytes, (line, i, start, end) => all.push([line, i, start, end]));
  assert.equal(all, [['{"a":1}', 0, 0, 7], ['{"bb":2}', 1, 9, 17], ['{"ccc":3}', 2, 18, 27], ['{"d":4}', 3, 30, 37]]);
});

test('offsets count bytes, not characters, when lines hold non-ASCII text', () => {
  const bytes = enc('{"a":"é"}\n\n{"b":"名"}\n{"c":1}');
  const all: [string, number, number][] = [];
  forEachLine(bytes, (line, _i, start, end) => all.push([line, start, end]));
  assert.equal(all, [['{"a":"é"}', 0, 10], ['{"b":"名"}', 12, 23], ['{"c":1}', 24, 31]]);
  assert.is(decode(bytes.subarray(12, 23)), '{"b":"名"}');
});

test.run();
