/**
 * npm run resend → writes the replica's re-sent exports (resent.ts) from the CSVs `npm run synth` would
 * write: raw/2014/swansea.sav by PSPP (test/fixtures/install-pspp.sh) and raw/2014/derbyshire-dales.xlsx
 * by exceljs. Both tools stamp the time they wrote a file: the .sav's header date and time are set to
 * the wave's fieldwork date afterwards, but the workbook's zip entries keep theirs, so the files are
 * committed as made and `test/raw/exports.test.ts` checks what they hold (every cell against the
 * generated CSV), not their bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { generate } from './generate.js';
import { SEED } from './parameters.js';
import { RESENT, resentPath, spssSyntax, workbookRows } from './resent.js';

const root = resolve(new URL('../..', import.meta.url).pathname);
const files = generate({ seed: SEED });
const content = (path: string) => files.find((f) => f.path === path)!.content;
/** The header's creation date and time (9 and 8 bytes at offset 92), as SPSS writes them. */
const STAMP = { at: 92, text: '01 Nov 14' + '00:00:00' };

for (const [csvPath, format] of Object.entries(RESENT)) {
  const out = join(root, resentPath(csvPath)!);
  const slug = csvPath.split('/').pop()!.replace(/\.csv$/, '');
  if (format === 'sav') {
    const book = JSON.parse(content(`raw/codebooks/${slug}.json`));
    const dir = mkdtempSync(join(tmpdir(), 'resend-'));
    try {
      writeFileSync(join(dir, 'export.sps'), spssSyntax(content(csvPath), book, join(dir, 'export.sav')));
      execFileSync('pspp', [join(dir, 'export.sps'), '-o', '/dev/null'], { stdio: 'inherit' });
      const bytes = readFileSync(join(dir, 'export.sav'));
      bytes.write(STAMP.text, STAMP.at, 'latin1');
      writeFileSync(out, bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'coproduction-pipeline synth';
    workbook.created = workbook.modified = new Date(Date.UTC(2014, 10, 1));
    workbook.addWorksheet('Panel 2014').addRows(workbookRows(content(csvPath)));
    await workbook.xlsx.writeFile(out);
  }
  console.log(`wrote ${out}`);
}
