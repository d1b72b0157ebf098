import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../../../contract/step.js';
import { readExport } from '../../../../lib/survey/readers/index.js';

const read = (text: string) => readExport('raw/2013/barnet.csv', new TextEncoder().encode(text));

test('CSV rows carry the line they end on; blank lines are skipped; a BOM is dropped', async () => {
  const table = await read('\ufeffID,Q1\r\n\r\nBN1,Often\r\nBN2,"Some\ntimes"\r\n');
  assert.equal(table.columns, [{ name: 'ID' }, { name: 'Q1' }]);
  assert.equal(table.rows, [
    { at: 3, cells: ['BN1', 'Often'] },
    { at: 5, cells: ['BN2', 'Some\ntimes'] },
  ]);
});

test('a broken CSV is a DataError naming the file and line', async () => {
  for (const [text, message] of [
    ['ID,Q1\nBN1\n', 'raw/2013/barnet.csv:2: the CSV cannot be parsed: Invalid Record Length: expect 2, got 1 on line 2'],
    ['ID,Q1\nBN1,"x\nBN2,y\n', 'raw/2013/barnet.csv:3: the CSV cannot be parsed: Quote Not Closed: the parsing is finished with an opening quote at line 3'],
    ['', 'raw/2013/barnet.csv: the CSV is empty: it needs a header line of column names'],
  ] as const) {
    try {
      await read(text);
      assert.unreachable();
    } catch (e) {
      assert.instance(e, DataError);
      assert.is((e as DataError).describe(), message);
    }
  }
});

test.run();
