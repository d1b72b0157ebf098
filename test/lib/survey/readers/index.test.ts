import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../../../contract/step.js';
import { exportFormat, openExport, readExport } from '../../../../lib/survey/readers/index.js';
import { PANEL_CELLS, fixture, read } from './fixtures.js';

test('the same answers as CSV, .sav, .zsav and .xlsx give identical label rows', async () => {
  const csv = await read('panel.csv');
  assert.equal(
    csv.rows.map((r) => r.cells),
    PANEL_CELLS,
  );
  for (const [name, sheet] of [['panel.sav'], ['panel.zsav'], ['panel-uncompressed.sav'], ['panel.xlsx', 'Responses']] as const) {
    const other = await read(name, sheet ? { sheet } : {});
    assert.equal(
      other.columns.map((c) => c.name),
      csv.columns.map((c) => c.name),
      name,
    );
    assert.equal(
      other.rows.map((r) => r.cells),
      csv.rows.map((r) => r.cells),
      name,
    );
  }
});

test('rows say where they are: CSV line, SPSS case, sheet row', async () => {
  assert.equal((await read('panel.csv')).rows.map((r) => r.at), [2, 3, 4, 5, 6]);
  assert.equal((await read('panel.sav')).rows.map((r) => r.at), [1, 2, 3, 4, 5]);
  assert.equal((await read('panel.xlsx', { sheet: 'Responses' })).rows.map((r) => r.at), [2, 3, 4, 5, 6]);
});

test('formats by extension, any case; another extension is a DataError naming the file', async () => {
  assert.equal(['a.csv', 'b.SAV', 'c.zsav', 'd.xlsx', 'e.xls', 'f'].map(exportFormat), ['csv', 'sav', 'zsav', 'xlsx', undefined, undefined]);
  try {
    await openExport('raw/2013/barnet.xls', new Uint8Array());
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DataError);
    assert.is((e as DataError).describe(), 'raw/2013/barnet.xls: an export must be one of .csv, .sav, .zsav, .xlsx');
  }
});

test.run();
