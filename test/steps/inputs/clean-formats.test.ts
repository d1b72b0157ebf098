/**
 * The corpus's export as SPSS and Excel write it (test/fixtures/exports/corpus.sps, PSPP; make-xlsx.ts,
 * exceljs): the same answers give the same records as the CSV, and each way such a file goes wrong is a
 * DataError naming the file and, where it applies, the variable and the case or sheet row.
 */
import { studyArtifact } from '../../study.js';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, readOutputs } from '../../../contract/step.js';
import clean from '../../../steps/clean.js';
import { readRecords } from '../../../lib/survey/records-table.js';
import { dataError } from '../../data-error.js';
import { book, CLEAN, codebook, logOf, quarantined, records } from './corpus.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/exports/${name}`, import.meta.url)));
const inWorkbook = { ...codebook, sheet: 'Answers' };

const cleanFile = async (bytes: Uint8Array, path: string, b: object = codebook) =>
  readOutputs(await clean({ exports: [artifact(path, bytes)], codebooks: [book(b)], study: [studyArtifact()] }, {}));
const failure = async (bytes: Uint8Array, path: string, b: object = codebook) => {
  const e = await dataError(() => cleanFile(bytes, path, b));
  return { where: e.where, message: e.message };
};
/** Records without where they came from: a .sav's case 1 is a CSV's line 2. */
const answers = (out: Record<string, Uint8Array>) => records(out).map(({ source: _, ...rest }) => rest);

const fromCsv = await cleanFile(new TextEncoder().encode(CLEAN), 'raw/2013/swansea.csv');

// --- works -------------------------------------------------------------------------------------------

for (const [name, path, b] of [
  ['corpus.sav', 'raw/2013/swansea.sav', codebook],
  ['corpus.zsav', 'raw/2013/swansea.zsav', codebook],
  ['corpus.xlsx', 'raw/2013/Swansea.XLSX', inWorkbook],
] as const) {
  test(`works: ${name} gives the CSV's records, every row accounted for`, async () => {
    const out = await cleanFile(fixture(name), path, b);
    assert.equal(answers(out), answers(fromCsv));
    assert.equal(quarantined(out), []);
    const f = logOf(out).files[path]!;
    assert.equal([f.raw_rows, f.records, f.quarantined], [4, 4, 0]);
    assert.equal(records(out).map((r) => r.source), [1, 2, 3, 4].map((at) => ({ file: path, line: name.endsWith('.xlsx') ? at + 1 : at })));
  });
}

test('the cleaning log carries the format, the sheet and the SPSS variable labels', async () => {
  const sav = logOf(await cleanFile(fixture('corpus.sav'), 'raw/2013/swansea.sav')).files['raw/2013/swansea.sav']!;
  assert.equal([sav.format, sav.sheet, sav.bom_stripped], ['sav', undefined, false]);
  assert.equal(Object.values(sav.columns).map((c) => c.label), ['Respondent', 'How often do you recycle?', 'How often do you join groups to improve the environment?', 'How clean is your area?']);
  // The user-missing code 9 arrives as its value label, a don't-know spelling of the codebook.
  assert.equal(sav.columns.Q3!.dont_know, { "don't know": 1 });
  const xlsx = logOf(await cleanFile(fixture('corpus.xlsx'), 'raw/2013/swansea.xlsx', inWorkbook)).files['raw/2013/swansea.xlsx']!;
  assert.equal([xlsx.format, xlsx.sheet], ['xlsx', 'Answers']);
  assert.equal(Object.values(xlsx.columns).map((c) => c.label), [undefined, undefined, undefined, undefined]);
  assert.is(logOf(fromCsv).files['raw/2013/swansea.csv']!.format, 'csv');
});

test('SPSS user-missing and system-missing answers are what the codebook says: refused, and no answer', async () => {
  const refused = { ...codebook, label_sets: { freq: { ...codebook.label_sets.freq, refused: 'refused' } } };
  const out = await cleanFile(fixture('corpus-refused.sav'), 'raw/2013/swansea.sav', refused);
  const table = readRecords(out['records.arrow']!, 'records.arrow');
  // -2 refused, -3 no answer (schemas/records.table.json).
  assert.equal([...table.variables.get('environment/activities/recycle')!], [-2, 3, 2, 1]);
  assert.equal([...table.variables.get('environment/join_groups')!], [3, 2, -3, 1]);
  const q = logOf(out).files['raw/2013/swansea.sav']!.columns;
  assert.equal([q.Q1!.refused, q.Q2!.blank], [{ refused: 1 }, 1]);
  // A user-missing label the codebook does not map stops the run, naming the case.
  const f = await failure(fixture('corpus-refused.sav'), 'raw/2013/swansea.sav');
  assert.equal(f.where, { file: 'raw/2013/swansea.sav', path: 'case 1', column: 'Q1', value: 'Refused' });
});

// --- fails: named, nothing lost -------------------------------------------------------------------------

test('fails: a truncated .sav names the case and variable it ends in', async () => {
  const f = await failure(fixture('corpus-truncated.sav'), 'raw/2013/swansea.sav');
  assert.equal(f.where, { file: 'raw/2013/swansea.sav', column: 'ID', path: 'case 3' });
  assert.match(f.message, /^the file ends inside case 3 \(variable "ID"\) of the 4 its header announces: it is truncated/);
});

test('fails: a file that is not SPSS, and an unsupported compression', async () => {
  const notSpss = await failure(fixture('bad-not-spss.sav'), 'raw/2013/swansea.sav');
  assert.equal(notSpss.where, { file: 'raw/2013/swansea.sav', value: 'Responde' });
  assert.match(notSpss.message, /^not an SPSS system file/);
  const compression = await failure(fixture('corpus-bad-compression.sav'), 'raw/2013/swansea.sav');
  assert.equal(compression.where, { file: 'raw/2013/swansea.sav', value: 5 });
  assert.match(compression.message, /^unsupported compression code 5/);
});

test('fails: a corrupt workbook, an encrypted one, and a missing sheet', async () => {
  const corrupt = await failure(fixture('bad-truncated.xlsx'), 'raw/2013/swansea.xlsx');
  assert.equal(corrupt.where, { file: 'raw/2013/swansea.xlsx' });
  assert.match(corrupt.message, /^the workbook cannot be read/);
  const encrypted = await failure(fixture('bad-encrypted.xlsx'), 'raw/2013/swansea.xlsx');
  assert.equal(encrypted.where, { file: 'raw/2013/swansea.xlsx' });
  assert.match(encrypted.message, /^the workbook is encrypted/);
  const sheet = await failure(fixture('corpus.xlsx'), 'raw/2013/swansea.xlsx', { ...codebook, sheet: 'Responses' });
  assert.equal(sheet.where, { file: 'raw/2013/swansea.xlsx', value: 'Responses' });
  assert.is(sheet.message, 'no sheet named "Responses" (the workbook has "About", "Answers"): name one of them in the codebook\'s "sheet"');
});

test('fails: a variable the codebook needs is missing from the .sav', async () => {
  const f = await failure(fixture('corpus-missing-variable.sav'), 'raw/2013/swansea.sav');
  assert.equal(f.where, { file: 'raw/2013/swansea.sav', column: 'Q2' });
  assert.match(f.message, /^column required by codebook raw\/codebooks\/swansea.json is missing from the export/);
});

test('fails: a value label the codebook does not know names variable, case and label', async () => {
  const f = await failure(fixture('corpus-unknown-label.sav'), 'raw/2013/swansea.sav');
  assert.equal(f.where, { file: 'raw/2013/swansea.sav', path: 'case 2', column: 'Q1', value: 'Rarely' });
  assert.match(f.message, /^label not in codebook raw\/codebooks\/swansea.json/);
});

test('fails: a string where a code is expected names variable, case and value', async () => {
  const f = await failure(fixture('corpus-string-code.sav'), 'raw/2013/swansea.sav');
  assert.equal(f.where, { file: 'raw/2013/swansea.sav', path: 'case 3', column: 'Q3', value: 'three' });
  assert.match(f.message, /^not a whole-number code, nor a label in codebook raw\/codebooks\/swansea.json/);
});

test('fails: every unknown label of a workbook is listed by its sheet row', async () => {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Answers').addRows([['ID', 'Q1', 'Q2', 'Q3'], ['S1', 'often', 'never', 3], ['S2', 'oftn', 'never', 3], ['S3', 'nevr', 'often', 'three']]);
  const bytes = new Uint8Array(await book.xlsx.writeBuffer());
  const f = await failure(bytes, 'raw/2013/swansea.xlsx', inWorkbook);
  assert.equal(f.where, { file: 'raw/2013/swansea.xlsx', path: 'row 3 of sheet "Answers"', column: 'Q1', value: 'oftn' });
  assert.equal(f.message.split('\n').slice(1), [
    '3 problems in this export; fix them all before running again:',
    '  row 4 of sheet "Answers", column "Q1", value "nevr": label not in codebook raw/codebooks/swansea.json (add it under "labels", or set "on_unknown": "quarantine")',
    '  row 4 of sheet "Answers", column "Q3", value "three": not a whole-number code, nor a label in codebook raw/codebooks/swansea.json (add it under "labels", or set "on_unknown": "quarantine")',
  ]);
});

test.run();
