import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseJsonSource } from '../../../lib/survey/json-source.js';
import { dataError } from '../../data-error.js';

const FILE = 'raw/codebooks/barnet.json';

test('JSON is read as JSON.parse reads it', () => {
  assert.equal(parseJsonSource('{"a": [1, {"b": null}], "c": "d"}', FILE), { a: [1, { b: null }], c: 'd' });
});

test('a byte-order mark, as Windows Notepad writes, is accepted', () => {
  assert.equal(parseJsonSource('\ufeff{"area": "Barnet"}', FILE), { area: 'Barnet' });
});

test('a key given twice in one object is an error naming both lines and the object\'s path', () => {
  const text = '{\n  "columns": {\n    "Q1": {\n      "labels": {\n        "often": 1,\n        "never": 3,\n        "often": 3\n      }\n    }\n  }\n}';
  const e = dataError(() => parseJsonSource(text, FILE));
  assert.equal(e.where, { file: FILE, line: 7, path: '/columns/Q1/labels' });
  assert.match(e.message, 'the key "often" appears twice in this object (first on line 5)');
});

test('the same key in two different objects is fine, and paths escape "/" in keys', () => {
  assert.equal(parseJsonSource('{"a": {"x": 1}, "b": {"x": 2}}', FILE), { a: { x: 1 }, b: { x: 2 } });
  const e = dataError(() => parseJsonSource('{"a/b": [{"k": 1, "k": 2}]}', FILE));
  assert.is(e.where.path, '/a~1b/0');
});

test('a syntax error names its line and column instead of a character offset', () => {
  const e = dataError(() => parseJsonSource('{\n  "area": "Barnet"\n  "wave": 2014\n}', FILE));
  assert.equal(e.where, { file: FILE, line: 3 });
  assert.match(e.message, /^not valid JSON \(column 3\): /);
  assert.match(e.describe(), /^raw\/codebooks\/barnet\.json:3: not valid JSON/);
});

test.run();
