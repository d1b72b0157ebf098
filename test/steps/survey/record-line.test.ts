import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordLine, wordsOf } from '../../../steps/survey/record-line.js';

/** The line written: kept, taken, and read without its newline. */
const text = (line: RecordLine) => {
  line.keep();
  return new TextDecoder().decode(line.take().bytes).slice(0, -1);
};
const piece = (s: string) => new TextEncoder().encode(s);

test('strings come out exactly as JSON.stringify writes them, escapes and non-ASCII included', () => {
  const ids = ['S1', '', 'a"b', 'back\\slash', 'tab\there', 'new\nline', '\u007f', 'Zoë', '名前', '😀', '\ud800', 'x'.repeat(5000)];
  for (const id of ids) {
    const line = new RecordLine();
    line.start(piece('{"id":'));
    line.jsonString(id);
    line.bytes(piece('}'));
    assert.is(text(line), JSON.stringify({ id }), `id ${JSON.stringify(id)}`);
  }
  const line = new RecordLine();
  line.start(piece('['));
  line.jsonString(null);
  line.bytes(piece(']'));
  assert.is(text(line), '[null]');
});

test('whole numbers are written as JSON writes them', () => {
  for (const n of [0, 7, 10, 99, 100, 123456789, Number.MAX_SAFE_INTEGER]) {
    const line = new RecordLine();
    line.start(piece(''));
    line.integer(n);
    assert.is(text(line), JSON.stringify(n));
  }
});

test('pieces short and long are joined in order, and start() begins a new line', () => {
  const line = new RecordLine();
  line.start(piece('ab'));
  line.bytes(piece('c'.repeat(40)));
  line.bytes(piece('d'));
  assert.is(text(line), 'ab' + 'c'.repeat(40) + 'd');
  line.start(piece('x'));
  assert.is(text(line), 'x');
});

test('kept lines gather with their newlines until taken; a new line after a take starts afresh', () => {
  const line = new RecordLine();
  line.start(piece('{"a":'));
  line.integer(1);
  line.bytes(piece('}'));
  line.keep();
  line.start(piece('unfinished'));
  line.start(piece('{"b":'));
  line.jsonString('x'.repeat(5000));
  line.bytes(piece('}'));
  line.keep();
  const { bytes, lines } = line.take();
  assert.is(lines, 2);
  assert.is(new TextDecoder().decode(bytes), '{"a":1}\n{"b":"' + 'x'.repeat(5000) + '"}\n');
  assert.is(line.keptBytes, 0);
  line.start(piece('z'));
  assert.is(text(line), 'z');
  assert.equal(line.take().lines, 0);
});

test('pieces written four bytes at a time come out as their bytes: the padding is written over, and the buffer grows', () => {
  // Lengths 0 to 9 cover every padding; the long run crosses the buffer's first size many times.
  const texts = Array.from({ length: 3000 }, (_, i) => 'abcdefghi'.slice(0, i % 10) + (i % 7 === 0 ? 'é' : ''));
  const line = new RecordLine();
  line.start(piece('['));
  for (const t of texts) {
    line.words(wordsOf(piece(t)));
    line.bytes(piece(','));
  }
  line.words(wordsOf(piece('"end"]')));
  assert.is(text(line), '[' + texts.map((t) => t + ',').join('') + '"end"]');
});

test.run();
