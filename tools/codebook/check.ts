/**
 * What an export holds that its codebook does not map: codebook columns the file lacks, file columns the
 * codebook lacks, and per column every answer it cannot map, with how often and where it first occurs.
 */
import { decodeCell, labelLookup, normaliseLabel, type LabelTarget } from '../../lib/survey/codebook.js';
import { POSITION, type ExportTable } from '../../lib/survey/readers/index.js';
import { columnLabels, type CodebookJson } from './codebook-json.js';

export interface Unmapped {
  column: string;
  answer: string;
  count: number;
  /** Where it first occurs: `case 12`, `line 5`, `row 3`. */
  first: string;
  /** Set when the column takes codes and the answer is not a number. */
  notCode?: boolean;
}

export interface CheckReport {
  missingColumns: string[];
  extraColumns: string[];
  unmapped: Unmapped[];
}

export function checkExport(table: ExportTable, book: CodebookJson): CheckReport {
  const names = table.columns.map((c) => c.name);
  const missingColumns = Object.keys(book.columns).filter((h) => !names.includes(h));
  const extraColumns = names.filter((h) => !(h in book.columns));
  const found = new Map<string, Unmapped>();
  table.columns.forEach((column, c) => {
    const spec = book.columns[column.name];
    if (!spec || spec.variable === 'respondent_id') return;
    // The rule clean applies (decodeCell), over the codebook as written, so a draft can be checked too.
    const decoding = { lookup: labelLookup(book.dont_know, columnLabels(book, column.name) as Record<string, LabelTarget>), numeric: spec.numeric ?? false };
    for (const row of table.rows) {
      const cell = row.cells[c] ?? '';
      if (decodeCell(decoding, cell).kind !== 'unknown') continue;
      const answer = normaliseLabel(cell);
      const key = `${column.name}\u0000${answer}`;
      const seen = found.get(key);
      if (seen) seen.count++;
      else {
        found.set(key, {
          column: column.name,
          answer,
          count: 1,
          first: `${POSITION[table.format]} ${row.at}`,
          ...(spec.numeric ? { notCode: true } : {}),
        });
      }
    }
  });
  return { missingColumns, extraColumns, unmapped: [...found.values()] };
}

export function formatCheck(file: string, codebook: string, report: CheckReport): string {
  const lines: string[] = [];
  for (const h of report.missingColumns) lines.push(`${file}: column "${h}" is in ${codebook} but not in the export`);
  for (const h of report.extraColumns) lines.push(`${file}: column "${h}" is not in ${codebook}`);
  for (const u of report.unmapped) {
    lines.push(
      `${file}, column "${u.column}", ${u.first}: "${u.answer}" is not mapped${u.notCode ? ' (the column takes whole-number codes)' : ''}; ${u.count} ${u.count === 1 ? 'answer' : 'answers'}`,
    );
  }
  if (!lines.length) lines.push(`${file}: every answer is mapped by ${codebook}`);
  return lines.join('\n');
}
