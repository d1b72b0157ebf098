import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../../../contract/step.js';
import { openSav } from '../../../../lib/survey/readers/sav.js';
import { PANEL_CELLS, fixture, read, readError } from './fixtures.js';

const frequency = (q: string) => ({
  name: q,
  type: 'numeric',
  label: q === 'Q1' ? 'How often do you report a crime to the police?' : 'How often do you join in groups with others to make your area safer?',
  values: [
    { code: 1, label: 'Often', missing: false },
    { code: 2, label: 'Sometimes', missing: false },
    { code: 3, label: 'Never', missing: false },
    { code: 8, label: 'Refused', missing: true },
    { code: 9, label: "Don't know", missing: true },
  ],
  missing: { codes: [8, 9] },
});

test('a .sav written by PSPP: variable labels, value labels and user-missing codes per column', async () => {
  const table = await read('panel.sav');
  assert.equal(table.columns, [
    { name: 'RespondentID', type: 'string', label: 'Panel member reference' },
    frequency('Q1'),
    frequency('Q2'),
    {
      name: 'Q3',
      type: 'numeric',
      label: 'How much time would you be willing to give?',
      values: ['No time', 'A few hours a year', 'A few hours a month', 'A few hours a week or more'].map((label, i) => ({ code: i + 1, label, missing: false })),
    },
    {
      name: 'Gender',
      type: 'numeric',
      label: 'Gender',
      values: [
        { code: 1, label: 'Male', missing: false },
        { code: 2, label: 'Female', missing: false },
        { code: 9, label: 'No answer', missing: true },
      ],
      missing: { codes: [9] },
    },
    {
      name: 'Age',
      type: 'numeric',
      label: 'Age group',
      values: ['18-24', '25-34', '35-44', '45-54', '55-64', '65 or over'].map((label, i) => ({ code: i + 1, label, missing: false })),
    },
    { name: 'Comment', type: 'string', label: 'Any other comments' },
  ]);
});

test('cells are labels (user-missing codes too), unlabelled codes written out, system-missing blank; rows carry case numbers', async () => {
  const table = await read('panel.sav');
  assert.equal(
    table.rows,
    PANEL_CELLS.map((cells, i) => ({ at: i + 1, cells })),
  );
});

test('uncompressed .sav and zlib-compressed .zsav read as the bytecode-compressed .sav', async () => {
  const sav = await read('panel.sav');
  for (const name of ['panel-uncompressed.sav', 'panel.zsav']) {
    const other = await read(name);
    assert.equal(other.columns, sav.columns, name);
    assert.equal(other.rows, sav.rows, name);
  }
  assert.is((await read('panel.zsav')).format, 'zsav');
});

test('a UTF-8 character across two 8-byte pieces of a string is read whole', async () => {
  // "Our café": the é's two bytes are the 8th and 9th of the value.
  const table = await read('panel.sav');
  assert.is(table.rows[2]!.cells[6], 'Our café is good');
});

test('dates are written as the ISO dates their print format shows, as haven reads them as dates', async () => {
  const table = await read('dates.sav');
  assert.equal(
    table.columns.map((c) => c.name),
    ['Serial', 'Interviewed', 'Returned', 'Logged', 'Wait'],
  );
  assert.equal(table.rows, [
    { at: 1, cells: ['1', '2013-11-01', '2013-11-15', '2013-11-01T10:30:00.000Z', '2.5'] },
    { at: 2, cells: ['2', '', '', '', ''] },
  ]);
});

test('bad SPSS files: a DataError naming the file, and the variable and case where the data break', async () => {
  assert.is(
    await readError('bad-truncated.sav'),
    'test/fixtures/exports/bad-truncated.sav, column "Comment", at case 3: the file ends inside case 3 (variable "Comment") of the 5 its header announces: it is truncated; export it again',
  );
  assert.is(
    await readError('bad-truncated-dictionary.sav'),
    'test/fixtures/exports/bad-truncated-dictionary.sav: the SPSS dictionary (variables, labels, missing values) cannot be read: the file is truncated or damaged; export it again',
  );
  assert.is(
    await readError('bad-not-spss.sav'),
    'test/fixtures/exports/bad-not-spss.sav, value "Responde": not an SPSS system file: it should start with "$FL2" (.sav) or "$FL3" (.zsav); save it from SPSS or PSPP with SAVE OUTFILE',
  );
  assert.is(
    await readError('bad-truncated.zsav'),
    'test/fixtures/exports/bad-truncated.zsav, value 1809: the zlib trailer (bytes 1809–1857) lies outside the file of 1700 bytes: the .zsav is truncated or damaged; export it again',
  );
});

test('an unsupported compression code is named', async () => {
  const [file, bytes] = fixture('panel.sav');
  const copy = bytes.slice();
  new DataView(copy.buffer).setInt32(72, 7, true);
  try {
    await openSav(file, copy);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DataError);
    assert.is(
      (e as DataError).describe(),
      'test/fixtures/exports/panel.sav, value 7: unsupported compression code 7 for a "$FL2" file (0 none, 1 bytecode, 2 zlib): save it again with SAVE OUTFILE … /COMPRESSED',
    );
  }
});

test('a number where a string variable should be is named with its case and variable', async () => {
  const [file, bytes] = fixture('panel.sav');
  const copy = bytes.slice();
  // The dictionary ends with record type 999 and a zero filler; the first command byte follows.
  const end = Buffer.from(copy).indexOf(Buffer.from([0xe7, 0x03, 0, 0, 0, 0, 0, 0]), 176) + 8;
  assert.is(copy[end], 253, 'RespondentID\'s first piece is stored after the command block');
  copy[end] = 101;
  const source = await openSav(file, copy);
  try {
    for await (const _ of source.rows());
    assert.unreachable();
  } catch (e) {
    assert.is(
      (e as DataError).describe(),
      'test/fixtures/exports/panel.sav, column "RespondentID", at case 1, value 101: case 1 holds a number (compressed code 101) where string variable "RespondentID" should be: the file is damaged; export it again',
    );
  }
});

test('a truncated file gives up the cases before the break, then fails: nothing is silently dropped', async () => {
  const source = await openSav(...fixture('bad-truncated.sav'));
  const seen: number[] = [];
  let error: unknown;
  try {
    for await (const row of source.rows()) seen.push(row.at);
  } catch (e) {
    error = e;
  }
  assert.equal(seen, [1, 2]);
  assert.instance(error, DataError);
  assert.is((error as DataError).where.path, 'case 3');
});

test.run();
