/**
 * The corpus of malformed and oddly saved exports, through clean: what means the same as the clean
 * export gives its records byte for byte; everything else fails naming file, line (and column) and cause.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataError } from '../../data-error.js';
import { CLEAN, CLEAN_LINES, cleanOne, logOf, quarantined, records } from './corpus.js';

const reference = await cleanOne(CLEAN);
const utf16le = (text: string, bom = true) => {
  const body = Buffer.from(text, 'utf16le');
  return new Uint8Array(bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body);
};
/** The outcome as a test states it: where the error points and the words that say why. */
const failure = async (content: string | Uint8Array, path?: string) => {
  const e = await dataError(async () => await cleanOne(content, path));
  return { where: e.where, message: e.message, shown: e.describe() };
};

// --- works: the same meaning, the same records ---------------------------------------------------

const sameAsClean: Record<string, string | Uint8Array> = {
  'a UTF-8 byte-order mark': '\ufeff' + CLEAN,
  'a DOS end-of-file mark (Ctrl-Z) after the last line': CLEAN + '\u001a',
  'Windows line ends': CLEAN_LINES.join('\r\n') + '\r\n',
  'Windows line ends with a few Unix ones': CLEAN_LINES.slice(0, 3).join('\r\n') + '\n' + CLEAN_LINES.slice(3).join('\r\n') + '\r\n',
  'old Mac line ends': CLEAN_LINES.join('\r') + '\r',
  'no line end after the last row': CLEAN_LINES.join('\n'),
  'trailing blank lines': CLEAN + '\n\r\n\n',
  'empty columns after the last named one, as spreadsheets write them': CLEAN_LINES.map((l) => l + ',,').join('\n') + '\n',
  'every cell quoted': CLEAN_LINES.map((l) => l.split(',').map((c) => `"${c}"`).join(',')).join('\n') + '\n',
};
for (const [kind, content] of Object.entries(sameAsClean)) {
  test(`works: ${kind} gives the clean export's records and quarantine byte for byte`, async () => {
    const out = await cleanOne(content);
    assert.ok(Buffer.from(out['records.arrow']!).equals(Buffer.from(reference['records.arrow']!)), kind);
    assert.ok(Buffer.from(out['quarantine.ndjson']!).equals(Buffer.from(reference['quarantine.ndjson']!)), kind);
    const f = logOf(out).files['raw/2013/swansea.csv']!;
    assert.equal([f.raw_rows, f.records + f.quarantined], [4, 4], kind);
  });
}

test('works: columns in another order give the same records', async () => {
  const reordered = CLEAN_LINES.map((l) => {
    const [id, q1, q2, q3] = l.split(',');
    return [q3, id, q2, q1].join(',');
  }).join('\n');
  assert.equal(records(await cleanOne(reordered)), records(reference));
});

test("works: a file named in another case is read as the area's export", async () => {
  const out = await cleanOne(CLEAN, 'raw/2013/Swansea.CSV');
  assert.equal(
    records(out).map((r) => ({ ...r, source: { ...r.source, file: 'raw/2013/swansea.csv' } })),
    records(reference),
  );
  assert.equal(logOf(out).files['raw/2013/Swansea.CSV']!.area, 'Swansea');
});

// --- encodings and binary files --------------------------------------------------------------------

test('fails: UTF-16, with or without a byte-order mark, is named as such, with what to do', async () => {
  for (const content of [utf16le(CLEAN), utf16le(CLEAN, false)]) {
    const f = (await failure(content));
    assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 1 });
    assert.match(f.message, /^this file is UTF-16 \("Unicode text"\), not UTF-8: save it again as "CSV UTF-8/);
    assert.not.match(f.shown, /\u0000|\ufffd/);
  }
});

test('fails: a Windows-1252 export names line, column and the encoding', async () => {
  const latin1 = Buffer.from(CLEAN.replace('S3,sometimes', 'S3,sométi'), 'latin1');
  const f = (await failure(new Uint8Array(latin1)));
  assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 4, column: 'Q1' });
  assert.match(f.message, /^this file is not UTF-8: byte 0xE9 cannot be read, so it was most likely saved as Windows-1252/);
});

test('fails: workbooks, SPSS files and PDFs named .csv say what they are', async () => {
  const starts: Record<string, number[]> = {
    'an Excel workbook (.xlsx)': [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00],
    'an old-style Excel workbook (.xls)': [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1],
    'an SPSS data file (.sav)': [...Buffer.from('$FL2@(#) IBM SPSS')],
    'a PDF document': [...Buffer.from('%PDF-1.7\n')],
  };
  for (const [what, bytes] of Object.entries(starts)) {
    const f = (await failure(new Uint8Array(bytes)));
    assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 1 }, what);
    assert.ok(f.message.includes(what), f.message);
  }
});

test('fails: binary data names the line and the control character, escaped', async () => {
  const f = (await failure(CLEAN.replace('S2,never', 'S2,ne\u0000\u001b[31mver')));
  assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 3, column: 'Q1' });
  assert.match(f.message, /control character U\+0000/);
  assert.not.match(f.shown, /[\u0000-\u0008\u001b]/);
});

// --- separators, quoting, truncation -----------------------------------------------------------------

test('fails: a semicolon- or tab-separated export is named as such', async () => {
  for (const [sep, words] of [[';', 'semicolons'], ['\t', 'tabs']] as const) {
    const f = (await failure(CLEAN.replaceAll(',', sep)));
    assert.equal([f.where.file, f.where.line], ['raw/2013/swansea.csv', 1]);
    assert.ok(f.message.startsWith(`this file is separated by ${words}, not commas`), f.message);
  }
});

test('fails: an unclosed quote is reported on the line it opens, not at the end of the file', async () => {
  const lines = [...CLEAN_LINES, 'S5,often,never,1', 'S6,often,never,1'];
  // In a middle column (the row comes out short) and in the last column (the row looks whole).
  for (const [row, expected] of [['S2,"never,sometimes,9', 'Q1'], ['S2,never,sometimes,"9', 'Q3']] as const) {
    const text = [...lines.slice(0, 2), row, ...lines.slice(3)].join('\n') + '\n';
    const f = (await failure(text));
    assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 3, column: expected });
    assert.match(f.message, /^a quoted cell opens here and is never closed/);
  }
});

test('a quoted cell with a line break inside, closed, is read and counted in source lines', async () => {
  const out = await cleanOne('ID,Q1,Q2,Q3\n"S\n1",often,never,3\nS2,often,never,3\n');
  assert.equal(records(out).map((r) => r.source.line), [2, 4]);
});

test('fails: an unclosed quote is reported before a header the codebook does not know', async () => {
  const text = [CLEAN_LINES[0]!.replace('Q2', 'Q9'), CLEAN_LINES[1], 'S2,never,sometimes,"9', CLEAN_LINES[3]].join('\n') + '\n';
  const f = await failure(text);
  assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 3, column: 'Q3' });
  assert.match(f.message, /^a quoted cell opens here and is never closed/);
});

test('a long export: every row is a record with its codes and line, unknown labels quarantined where they fall', async () => {
  const labels = ['often', 'sometimes', 'never'];
  const rows = Array.from({ length: 3000 }, (_, i) => `R${i},${labels[i % 3]},${i % 1000 === 7 ? 'oftn' : labels[(i + 1) % 3]},${i % 4}`);
  const out = await cleanOne([CLEAN_LINES[0], ...rows].join('\n') + '\n');
  const kept = rows.map((_, i) => i).filter((i) => i % 1000 !== 7);
  assert.equal(
    records(out).map((r) => [r.respondent_id, r.source.line, r.themes.environment!.activities!.recycle, r.themes.environment!.join_groups, r.themes.environment!.conditions]),
    kept.map((i) => [`R${i}`, i + 2, (i % 3) + 1, ((i + 1) % 3) + 1, i % 4]),
  );
  assert.equal(quarantined(out).map((q) => [q.respondent_id, q.source.line, q.value]), [['R7', 9, 'oftn'], ['R1007', 1009, 'oftn'], ['R2007', 2009, 'oftn']]);
});

test('fails: an export cut to its header names the file: it has no respondents', async () => {
  const f = (await failure(CLEAN_LINES[0] + '\n'));
  assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 2 });
  assert.match(f.message, /^export has a header but no respondents/);
});

test('fails: an empty file, or one of blank lines only, names the file', async () => {
  for (const content of ['', '\n\r\n']) assert.equal((await failure(content)).where, { file: 'raw/2013/swansea.csv' });
});

test('fails: an export cut in the middle of a row names that line', async () => {
  const f = (await failure(CLEAN.slice(0, CLEAN.indexOf('S4') + 6)));
  assert.equal([f.where.line, f.where.value], [5, 2]);
});

// --- every bad cell, bounded; values shown safely ----------------------------------------------------

test('fails: every bad cell of a file is reported, up to 20, with a count of the rest', async () => {
  const bad = Array.from({ length: 25 }, (_, i) => `B${i},oftn,never,3`);
  const f = (await failure([CLEAN_LINES[0], ...bad, 'C1,nevr,never,3', 'C2,often,never,3,extra'].join('\n')));
  assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 2, column: 'Q1', value: 'oftn' });
  const listed = f.message.split('\n').slice(2);
  assert.is(listed.length, 20);
  assert.is(listed[0], '  line 3, column "Q1", value "oftn": label not in codebook raw/codebooks/swansea.json (add it under "labels", or set "on_unknown": "quarantine")');
  assert.is(listed.at(-1), '  … and 7 more');
  assert.match(f.message.split('\n')[1]!, /^27 problems in this export/);
});

test('fails: a 1 MB cell is shown once, cut, with its length', async () => {
  const huge = 'x'.repeat(1_000_000);
  const f = (await failure(CLEAN.replace('S2,never', `S2,${huge}`)));
  assert.ok(f.shown.length < 400, `${f.shown.length} characters`);
  assert.match(f.shown, '(1,000,000 characters)');
});

test('fails: a CSV renamed .sav or .xlsx is read as what its name says, and named as not being it', async () => {
  // Long enough for an SPSS header, so the first bytes are what is judged.
  const sav = await failure(CLEAN.repeat(3), 'raw/2013/swansea.sav');
  assert.equal(sav.where, { file: 'raw/2013/swansea.sav', value: 'ID,Q1,Q2' });
  assert.match(sav.message, /^not an SPSS system file/);
  const xlsx = await failure(CLEAN, 'raw/2013/swansea.xlsx');
  assert.equal(xlsx.where, { file: 'raw/2013/swansea.xlsx', value: 'ID,Q1,Q2' });
  assert.match(xlsx.message, /^not an Excel workbook/);
});

// --- quarantine: every raw row accounted for ---------------------------------------------------------

test('a row with a label its column quarantines is set aside with its reason; raw rows = records + quarantined', async () => {
  const out = await cleanOne(CLEAN.replace('S2,never,sometimes', 'S2,never,sometimez'));
  assert.equal(quarantined(out).map((q) => [q.source.line, q.column, q.value, q.reason]), [[3, 'Q2', 'sometimez', 'label not in codebook raw/codebooks/swansea.json']]);
  const f = logOf(out).files['raw/2013/swansea.csv']!;
  assert.equal([f.raw_rows, f.records + f.quarantined], [4, 4]);
});

test('fails: a header the codebook does not know is reported on its own line, after blank lines', async () => {
  const f = (await failure('\n\n' + CLEAN.replace('Q2', 'Q9')));
  assert.equal(f.where, { file: 'raw/2013/swansea.csv', line: 3, column: 'Q9' });
});

test('fails: a cell under an unnamed column, or an unnamed column between named ones, is named', async () => {
  const filled = (await failure(CLEAN_LINES.map((l, i) => l + (i === 2 ? ',,note' : ',,')).join('\n')));
  assert.equal(filled.where, { file: 'raw/2013/swansea.csv', line: 3, value: 'note' });
  assert.match(filled.message, /^cell in column 6, which has no name in the header/);
  const between = (await failure(CLEAN_LINES.map((l) => l.replace(',', ',,')).join('\n')));
  assert.equal(between.where, { file: 'raw/2013/swansea.csv', line: 1 });
  assert.match(between.message, /^column 2 of the header has no name/);
});

test.run();
