/**
 * Reads every row of a workbook's first sheet with one library, and prints the row count: the measured
 * child of bench/xlsx-libraries.ts (a helper module: `npm run bench` skips files starting with "_").
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';

const [library, file] = process.argv.slice(2) as [string, string];
let rows = 0;
if (library === 'exceljs') {
  const book = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  for await (const sheet of book) {
    for await (const _ of sheet) rows++;
    break;
  }
} else {
  const book = XLSX.read(readFileSync(file), { dense: true });
  rows = XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0]!]!, { header: 1 }).length;
}
console.log(rows);
