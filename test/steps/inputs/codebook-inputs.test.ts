/**
 * The corpus's codebooks as Notepad and hand-editing leave them, through clean: what means the same
 * gives the same records; a duplicate key, a code outside its scale, a label that is also a don't-know
 * spelling or broken JSON fails naming the codebook, the line or JSON path, and the cause.
 */
import { studyArtifact } from '../../study.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, readOutputs } from '../../../contract/step.js';
import clean from '../../../steps/clean.js';
import { dataError } from '../../data-error.js';
import { CLEAN, cleanOne, codebook, logOf, records } from './corpus.js';

const BOOK = 'raw/codebooks/swansea.json';
const withBook = async (text: string) => readOutputs(await clean({ exports: [artifact('raw/2013/swansea.csv', CLEAN)], codebooks: [artifact(BOOK, text)], study: [studyArtifact()] }, {}));
const pretty = JSON.stringify(codebook, null, 2);
const reference = await cleanOne(CLEAN);

test('works: a codebook with a byte-order mark and Windows line ends gives the same records', async () => {
  const out = await withBook('\ufeff' + pretty.replace(/\n/g, '\r\n'));
  assert.equal(records(out), records(reference));
  const f = logOf(out).files['raw/2013/swansea.csv']!;
  assert.is(f.records + f.quarantined, f.raw_rows);
});

test('fails: a label listed twice names the codebook, the line of the second and the object', async () => {
  const e = await dataError(async () => await withBook(pretty.replace('"often": 1,', '"often": 1,\n      "often": 2,')));
  assert.equal([e.where.file, e.where.path], [BOOK, '/label_sets/freq']);
  assert.ok(e.where.line! > 1);
  assert.match(e.message, 'the key "often" appears twice');
});

test('fails: a code outside its scale names the codebook and the path', async () => {
  const e = await dataError(async () => await withBook(pretty.replace('"never": 3', '"never": 7')));
  assert.equal([e.where.file, e.where.path, e.where.value], [BOOK, '/label_sets/freq/never', 7]);
  assert.match(e.message, 'code 7 is outside the frequency scale');
});

test("fails: a label that is also a don't-know spelling names the codebook and the path", async () => {
  const e = await dataError(async () => await withBook(pretty.replace('"often": 1', '"dk": 1')));
  assert.is(e.where.file, BOOK);
  assert.match(e.where.path!, /\/dk$/);
  assert.match(e.message, `"dk" is one of the codebook's don't-know spellings`);
});

test('fails: broken JSON names the codebook, the line and the column', async () => {
  const text = pretty.replace('"often": 1,', '"often": 1');
  const e = await dataError(async () => await withBook(text));
  const line = text.split('\n').findIndex((l) => l.includes('"sometimes"')) + 1;
  assert.equal([e.where.file, e.where.line], [BOOK, line]);
  assert.match(e.message, /^not valid JSON \(column \d+\)/);
});

test.run();
