import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact } from '../../../contract/step.js';
import { readChecked, readCheckedLines, type JsonSchema } from '../../../lib/table/read-json.js';
import { dataError } from '../../data-error.js';

const schema: JsonSchema = {
  $id: 'point.schema.json',
  title: 'A point',
  type: 'object',
  additionalProperties: false,
  required: ['x', 'kind'],
  properties: { x: { type: 'number' }, kind: { enum: ['a', 'b'] }, tags: { type: 'array' } },
};

test('a file that matches its schema is returned as parsed', () => {
  assert.equal(readChecked(artifact('s:p.json', '{"x": 1, "kind": "a"}'), schema), { x: 1, kind: 'a' });
});

test('a wrong value: the file, its line, the JSON path, the value, the schema and what to do', () => {
  const e = dataError(() => void readChecked(artifact('clean[2013,barnet]:p.json', '{\n  "kind": "a",\n  "x": "1"\n}\n'), schema));
  assert.equal(e.where, { file: 'clean[2013,barnet]:p.json', line: 3, path: '/x', value: '1' });
  assert.match(e.message, 'must be number, as schemas/point.schema.json (A point) says');
  assert.match(e.message, 'not written by this version of step "clean"');
  assert.match(e.message, '--force=clean');
});

test('a missing key and an unexpected one are named in the path; an enum lists what it allows', () => {
  assert.equal(dataError(() => void readChecked(artifact('p.json', '{"kind": "a"}'), schema)).where, { file: 'p.json', line: 1, path: '/x' });
  const extra = dataError(() => void readChecked(artifact('p.json', '{"x": 1, "kind": "a", "y/z": 2}'), schema));
  assert.equal([extra.where.path, extra.where.value], ['/y~1z', 2]);
  assert.match(extra.message, 'is not expected here');
  assert.match(dataError(() => void readChecked(artifact('p.json', '{"x": 1, "kind": "c"}'), schema)).message, '(one of "a", "b")');
});

test('an object or array where a value belongs is described, not printed whole', () => {
  const e = dataError(() => void readChecked(artifact('p.json', '{"x": {"deep": [1, 2]}, "kind": "a"}'), schema));
  assert.equal([e.where.path, e.where.value], ['/x', undefined]);
  assert.match(e.message, 'must be number (found an object)');
});

test('NDJSON: each line checked, blank lines skipped, an error names its line', () => {
  const lines = readCheckedLines(artifact('q.ndjson', '{"x": 1, "kind": "a"}\n\n{"x": 2, "kind": "b"}\n'), schema);
  assert.equal(lines, [{ line: 1, value: { x: 1, kind: 'a' } }, { line: 3, value: { x: 2, kind: 'b' } }]);
  assert.equal(dataError(() => void readCheckedLines(artifact('q.ndjson', '{"x": 1, "kind": "a"}\n{"x": 2}\n'), schema)).where, { file: 'q.ndjson', line: 2, path: '/kind' });
  const broken = dataError(() => void readCheckedLines(artifact('q.ndjson', '{"x": 1,\n'), schema));
  assert.equal(broken.where, { file: 'q.ndjson', line: 1 });
  assert.match(broken.message, 'not a JSON line');
});

test.run();
