import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { artifact } from '../../../contract/step.js';
import { readCsv } from '../../../lib/table/csv-read.js';
import { checkHeader, headerOf, tableContract, type TableContract, type TablesFile } from '../../../lib/table/table-contract.js';
import { dataError } from '../../data-error.js';

const doc: TablesFile = {
  $id: 'demo.tables.json',
  step: 'demo',
  tables: [
    {
      files: ['t.csv', 'u.csv'],
      description: 'a demo',
      columns: [
        { name: 'wave', type: 'integer', description: 'survey wave' },
        { name: 'r', type: 'number', description: "Pearson's r" },
        { name: 'ci_low', type: 'number', description: 'lower end', optional: true },
      ],
    },
  ],
};
const T: TableContract = tableContract(doc, 't.csv');
const check = (header: string[]) => dataError(() => checkHeader(header, T, 'demo[2013]:t.csv'));

test('a contract gives the writer its header and the reader its file, step and schema', () => {
  assert.equal(headerOf(T), ['wave', 'r', 'ci_low']);
  assert.equal([T.file, T.step, T.schema], ['t.csv', 'demo', 'schemas/demo.tables.json']);
  assert.is(tableContract(doc, 'u.csv').columns, T.columns);
  assert.throws(() => tableContract(doc, 'v.csv'), /describes no table v.csv/);
});

test('the header may leave out an optional column, nothing else', () => {
  checkHeader(['wave', 'r', 'ci_low'], T, 't.csv');
  checkHeader(['wave', 'r'], T, 't.csv');
});

test('a missing, unexpected or misplaced column is a DataError naming file, line 1 and the column', () => {
  const missing = check(['wave', 'rho']);
  assert.equal(missing.where, { file: 'demo[2013]:t.csv', line: 1, column: 'r' });
  assert.match(missing.message, `missing column "r" (Pearson's r); the header has "rho", which schemas/demo.tables.json does not list`);
  assert.match(missing.message, 're-run demo');
  assert.equal(check(['wave', 'r', 'extra']).where, { file: 'demo[2013]:t.csv', line: 1, column: 'extra' });
  const misplaced = check(['r', 'wave']);
  assert.equal(misplaced.where.column, 'r');
  assert.match(misplaced.message, 'column 1 is "r" where schemas/demo.tables.json puts "wave"');
});

test('readCsv checks the header it reads', () => {
  assert.equal(readCsv(artifact('t.csv', 'wave,r\n2013,0.5\n'), T).rows, [{ line: 2, cells: { wave: '2013', r: '0.5' } }]);
  assert.equal(dataError(() => readCsv(artifact('t.csv', 'wave,r,p\n'), T)).where, { file: 't.csv', line: 1, column: 'p' });
  assert.match(dataError(() => readCsv(artifact('t.csv', ''), T)).message, 'empty table: expected a header naming wave, r, ci_low (schemas/demo.tables.json)');
});

test('every schemas/*.tables.json is a table contract (schemas/tables.schema.json), its columns named once per table', () => {
  const schemas = new URL('../../../schemas/', import.meta.url);
  const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(new URL('tables.schema.json', schemas), 'utf8')));
  const files = readdirSync(schemas).filter((f) => f.endsWith('.tables.json')).sort();
  assert.equal(files, ['compare-waves.tables.json', 'correlate.tables.json', 'experiment.tables.json', 'index.tables.json', 'nudge-regress.tables.json', 'weights.tables.json']);
  for (const f of files) {
    const spec = JSON.parse(readFileSync(new URL(f, schemas), 'utf8')) as TablesFile;
    assert.ok(validate(spec), `${f}: ${JSON.stringify(validate.errors)}`);
    assert.is(spec.$id, f);
    assert.is(`${spec.step}.tables.json`, f);
    for (const t of spec.tables) assert.is(new Set(t.columns.map((c) => c.name)).size, t.columns.length, `${f} ${t.files}`);
  }
});

test.run();
