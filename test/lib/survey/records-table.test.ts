import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tableFromIPC as arrowTableFromIPC } from 'apache-arrow';
import { columnFromArray, int32, int8, Table, tableFromColumns, tableFromIPC, tableToIPC, utf8, type Column } from '@uwdata/flechette';
import spec from '../../../schemas/records.table.json' with { type: 'json' };
import { BLANK_CODE, DONT_KNOW_CODE, NOT_ASKED_CODE, readRecords, recordOf, REFUSED_CODE, tableOfRecords, writeRecords } from '../../../lib/survey/records-table.js';
import type { CanonicalRecord } from '../../../lib/survey/record.js';
import { dataError } from '../../data-error.js';
import { study } from '../../study.js';

const records: CanonicalRecord[] = [
  {
    wave: 2013,
    area: 'Barnet',
    respondent_id: 'b1',
    source: { file: 'raw/2013/barnet.csv', line: 2 },
    gender: 1,
    nudge: 'both',
    themes: { 'community safety': { activities: { a: 1, b: 'dont_know' }, join_groups: null, self_efficacy: { crime: 3, 'anti-social behaviour': 4 } } },
  },
  {
    wave: 2013,
    area: 'Barnet',
    respondent_id: null,
    source: { file: 'raw/2013/barnet.csv', line: 4 },
    nudge: null,
    themes: { 'community safety': { activities: { a: 2 } } },
  },
];

test('a records table round-trips: written, read back, and each row as the nested record again', () => {
  const t = readRecords(writeRecords(tableOfRecords(records, study)), 'valid.arrow');
  assert.equal([...t.variables.keys()], ['gender', 'nudge', 'community safety/activities/a', 'community safety/activities/b', 'community safety/join_groups', 'community safety/self_efficacy/crime', 'community safety/self_efficacy/anti-social behaviour']);
  assert.equal(recordOf(t, 0), records[0]);
  // What the second row was not asked is left out, as in the record it came from.
  assert.equal(recordOf(t, 1), records[1]);
});

test('other tools read the table with the apache-arrow package: fixed columns, then one int32 code column per variable', () => {
  const table = arrowTableFromIPC(writeRecords(tableOfRecords(records, study)));
  assert.equal(table.schema.fields.map((f) => [f.name, String(f.type)]).slice(0, 6), [
    ['wave', 'Int32'],
    ['area', 'Dictionary<Int32, Utf8>'],
    ['respondent_id', 'Utf8'],
    ['source_file', 'Dictionary<Int32, Utf8>'],
    ['source_line', 'Int32'],
    ['gender', 'Int32'],
  ]);
  assert.equal(table.toArray().map((row) => row.toJSON()), [
    { wave: 2013, area: 'Barnet', respondent_id: 'b1', source_file: 'raw/2013/barnet.csv', source_line: 2, gender: 1, nudge: 3, 'community safety/activities/a': 1, 'community safety/activities/b': DONT_KNOW_CODE, 'community safety/join_groups': BLANK_CODE, 'community safety/self_efficacy/crime': 3, 'community safety/self_efficacy/anti-social behaviour': 4 },
    { wave: 2013, area: 'Barnet', respondent_id: null, source_file: 'raw/2013/barnet.csv', source_line: 4, gender: NOT_ASKED_CODE, nudge: BLANK_CODE, 'community safety/activities/a': 2, 'community safety/activities/b': NOT_ASKED_CODE, 'community safety/join_groups': NOT_ASKED_CODE, 'community safety/self_efficacy/crime': NOT_ASKED_CODE, 'community safety/self_efficacy/anti-social behaviour': NOT_ASKED_CODE },
  ]);
});

test('the missing codes are those schemas/records.table.json documents, negative and apart', () => {
  assert.equal([DONT_KNOW_CODE, REFUSED_CODE, BLANK_CODE, NOT_ASKED_CODE], Object.values(spec.missing_codes).map((m) => m.code));
  assert.is(new Set([DONT_KNOW_CODE, REFUSED_CODE, BLANK_CODE, NOT_ASKED_CODE]).size, 4);
  assert.ok([DONT_KNOW_CODE, REFUSED_CODE, BLANK_CODE, NOT_ASKED_CODE].every((c) => c < 0), 'every answer code is 0 or more');
});

/** The first record's table with one column replaced, its metadata kept. */
function withColumn(name: string, column: Column<unknown>): Uint8Array {
  const table = tableFromIPC(writeRecords(tableOfRecords([records[0]!], study)));
  const columns = Object.fromEntries(table.schema.fields.map((f) => [f.name, f.name === name ? column : table.getChild(f.name)!]));
  const built = tableFromColumns(columns);
  return tableToIPC(new Table({ ...built.schema, metadata: table.schema.metadata }, built.children), { format: 'file' })!;
}

test('a table that breaks schemas/records.table.json is a DataError naming the file and the column', () => {
  const wrongType = dataError(() => readRecords(withColumn('gender', columnFromArray(Int8Array.of(1), int8())), 'clean:records.arrow'));
  assert.equal([wrongType.where.file, wrongType.where.column], ['clean:records.arrow', 'gender']);
  const nulls = dataError(() => readRecords(withColumn('gender', columnFromArray([null], int32())), 'clean:records.arrow'));
  assert.match(nulls.message, 'missing answers are codes');
  const fixed = dataError(() => readRecords(withColumn('source_line', columnFromArray(['2'], utf8())), 'clean:records.arrow'));
  assert.equal(fixed.where.column, 'source_line');
  const notArrow = dataError(() => readRecords(new TextEncoder().encode('{"wave": 2013}\n'), 'clean:records.arrow'));
  assert.match(notArrow.message, 'not an Arrow IPC file');
});

test.run();
