import ExcelJS from 'exceljs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../../../contract/step.js';
import { openExport } from '../../../../lib/survey/readers/index.js';
import { cellText } from '../../../../lib/survey/readers/xlsx.js';
import { PANEL_CELLS, PANEL_NAMES, fixture, read, readError } from './fixtures.js';

async function workbook(rows: ExcelJS.CellValue[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Sheet1').addRows(rows);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

test('the named sheet: its first row names the columns, rows carry their sheet row numbers', async () => {
  const table = await read('panel.xlsx', { sheet: 'Responses' });
  assert.is(table.sheet, 'Responses');
  assert.equal(
    table.columns,
    PANEL_NAMES.map((name) => ({ name })),
  );
  assert.equal(
    table.rows,
    PANEL_CELLS.map((cells, i) => ({ at: i + 2, cells })),
  );
});

test('without a sheet named, the first sheet is read', async () => {
  const table = await read('panel.xlsx');
  assert.is(table.sheet, 'About');
  assert.equal(table.columns, [{ name: 'Council panel export' }]);
  assert.equal(table.rows, [{ at: 2, cells: ['Answers are on the sheet "Responses"'] }]);
});

test('cells as text: numbers written out, dates as ISO dates, formulas by their result, rich text joined', () => {
  assert.is(cellText(3), '3');
  assert.is(cellText(2.5), '2.5');
  assert.is(cellText(true), 'TRUE');
  assert.is(cellText(new Date(Date.UTC(2013, 10, 1))), '2013-11-01');
  assert.is(cellText({ formula: 'A1', result: 'Often' }), 'Often');
  assert.is(cellText({ richText: [{ text: 'Some' }, { text: 'times' }] }), 'Sometimes');
  assert.is(cellText(null), '');
});

test('blank rows are skipped, a blank header cell is named ...n, short rows are padded', async () => {
  const bytes = await workbook([['ID', null, 'Q2'], ['a', 'x'], [], ['b', null, 'y']]);
  const table = await openExport('t.xlsx', bytes).then(async (s) => {
    const rows = [];
    for await (const r of s.rows()) rows.push(r);
    return { columns: s.columns, rows };
  });
  assert.equal(table.columns, [{ name: 'ID' }, { name: '...2' }, { name: 'Q2' }]);
  assert.equal(table.rows, [
    { at: 2, cells: ['a', 'x', ''] },
    { at: 4, cells: ['b', '', 'y'] },
  ]);
});

test('a value beyond the header is an error naming the row and column', async () => {
  const source = await openExport('t.xlsx', await workbook([['ID', 'Q1'], ['a', 'x', 'stray']]));
  try {
    for await (const _ of source.rows());
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DataError);
    assert.is((e as DataError).describe(), 't.xlsx, column "C", at row 2, value "stray": row 2 has a value in column C, beyond the header\'s 2 columns: give that column a name in the header');
  }
});

test('bad workbooks: a missing sheet, a truncated file, an encrypted one, a file that is not a workbook', async () => {
  assert.is(
    await readError('bad-no-responses.xlsx', { sheet: 'Responses' }),
    'test/fixtures/exports/bad-no-responses.xlsx, value "Responses": no sheet named "Responses" (the workbook has "Sheet1"): name one of them in the codebook\'s "sheet"',
  );
  assert.is(
    await readError('bad-truncated.xlsx', { sheet: 'Responses' }),
    'test/fixtures/exports/bad-truncated.xlsx: the workbook cannot be read (FILE_ENDED): it is damaged or not an .xlsx; save it again from Excel',
  );
  assert.is(
    await readError('bad-encrypted.xlsx'),
    'test/fixtures/exports/bad-encrypted.xlsx: the workbook is encrypted (password-protected) or a legacy .xls: save it from Excel as an unprotected .xlsx',
  );
  const [, csv] = fixture('panel.csv');
  try {
    await openExport('panel.xlsx', csv);
    assert.unreachable();
  } catch (e) {
    assert.is((e as DataError).describe(), 'panel.xlsx, value "Responde": not an Excel workbook (.xlsx is a zip archive starting "PK"): save it from Excel as .xlsx');
  }
});

test.run();
