import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inReusedBuffer } from '../../reused-buffer.js';
import { forEachLine, forEachLineOf, lineBlocks, NdjsonWriter, wholeLineRuns, withoutLines } from '../../../steps/survey/ndjson.js';

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

test('a writer in shared memory grows its buffer in place, and a later writer reuses it from its start', () => {
  const first = new NdjsonWriter(undefined, true);
  const lines = Array.from({ length: 5000 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(i % 131)}"}`);
  for (const line of lines) first.pushLines(enc(line + '\n'), 1);
  const lent = first.lend();
  assert.instance(lent.buffer, SharedArrayBuffer);
  assert.ok((lent.buffer as SharedArrayBuffer & { growable: boolean }).growable);
  assert.is(decode(lent.slice()), lines.join('\n') + '\n');
  const grownTo = lent.buffer.byteLength;

  const second = new NdjsonWriter(lent.buffer, true);
  second.push('{"again":true}');
  const done = second.finish();
  assert.is(done.buffer, lent.buffer, 'the same memory, written over');
  assert.is(done.buffer.byteLength, grownTo, 'a shared buffer cannot shrink: the view ends where writing did');
  assert.is(decode(done.slice()), '{"again":true}\n');
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

test('an input read in pieces into one reused buffer comes out as runs of whole lines at their offsets, whatever the piece size', () => {
  const input = new TextEncoder().encode('{"a":1}\n\n{"b":"a line longer than the smaller pieces"}\n{"c":3}\n\n{"d":"no newline at the end"}');
  for (let size = 1; size <= input.length + 1; size++) {
    const seen: { text: string; base: number }[] = [];
    // Each run is read before the next piece is: the buffer is written over then.
    for (const runs of wholeLineRuns(inReusedBuffer(input, size))) for (const run of runs) seen.push({ text: new TextDecoder().decode(run.bytes), base: run.base });
    assert.is(seen.map((r) => r.text).join(''), new TextDecoder().decode(input), `pieces of ${size} bytes`);
    let offset = 0;
    for (const [k, run] of seen.entries()) {
      assert.is(run.base, offset, `run ${k} starts where the one before ended (pieces of ${size})`);
      if (k < seen.length - 1) assert.ok(run.text.endsWith('\n'), 'every run but the last ends a line');
      offset += new TextEncoder().encode(run.text).length;
    }
  }
});

test('lines left out of an input read in pieces: the rest comes out in order, and the kept ones whole', () => {
  const text = 'one\n\ntwo two\nthree\nfour four four\nfive';
  const input = enc(text);
  const at = (line: string) => text.indexOf(line);
  // An empty line, a line cut across pieces at most sizes, and the last line without its newline.
  const leftOut = [at('\n\n') + 1, at('three'), at('five')];
  for (let size = 1; size <= input.length; size++) {
    const kept = new Map<number, Uint8Array>();
    // Each piece read before the next is asked for: the buffer is written over then.
    let out = '';
    for (const piece of withoutLines(inReusedBuffer(input, size), leftOut, new Map([[at('three'), true], [at('five'), true]]), kept)) out += decode(piece);
    assert.is(out, 'one\ntwo two\nfour four four\n', `pieces of ${size} bytes`);
    assert.equal([...kept].map(([k, v]) => [k, decode(v)]), [[at('three'), 'three'], [at('five'), 'five']]);
  }
  // Nothing left out: the input as it is, a newline added at the end.
  assert.is([...withoutLines([input], [], new Map(), new Map())].map(decode).join(''), text + '\n');
});

test.run();
