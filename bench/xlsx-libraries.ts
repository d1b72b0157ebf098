/**
 * The two maintained npm readers of .xlsx side by side, on one sheet of survey answers (a header and N
 * rows of 32 text cells drawn from four answer labels; default 100,000 rows):
 * exceljs's streaming WorkbookReader, and @e965/xlsx (SheetJS) reading the workbook whole in dense mode.
 *
 *   node --import tsx bench/xlsx-libraries.ts [rows]
 *
 * Each reading is its own process; wall time (with Node's start) and peak RSS from GNU time.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { cores, fmt, timeWithRss } from './measure.js';

const rows = Number(process.argv[2] ?? 100_000);
const root = new URL('..', import.meta.url).pathname;
const file = join(root, 'bench/.tmp', `sheet-${rows}.xlsx`);

if (!existsSync(file)) {
  mkdirSync(join(root, 'bench/.tmp'), { recursive: true });
  const labels = ['Often', 'Sometimes', 'Never', "Don't know"];
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${file}.partial`, useSharedStrings: true });
  const sheet = book.addWorksheet('Responses');
  sheet.addRow(['RespondentID', ...Array.from({ length: 31 }, (_, i) => `Q${i + 1}`)]).commit();
  let s = 1;
  for (let r = 0; r < rows; r++) {
    const row = [`R${String(r).padStart(7, '0')}`];
    for (let c = 0; c < 31; c++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff; // a fixed linear congruential sequence: the same sheet every time
      row.push(labels[s % 4]!);
    }
    sheet.addRow(row).commit();
  }
  sheet.commit();
  await book.commit();
  renameSync(`${file}.partial`, file);
}
console.log(`${rows} rows x 32 columns, ${cores} cores`);
for (const library of ['exceljs', 'sheetjs']) {
  const r = timeWithRss(process.execPath, ['--import', 'tsx', 'bench/_xlsx-read.ts', library, file], { cwd: root });
  console.log(`${library.padEnd(8)} ${fmt(r.ms).padStart(9)}  peak RSS ${r.rssMb?.toFixed(0) ?? '?'} MB`);
}
