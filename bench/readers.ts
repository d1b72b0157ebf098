/**
 * Reading one 1,000,000-case export as .csv, .sav and .xlsx: the same answers (Barnet's wave 2013 of the
 * synthetic panel) in each format, read through lib/survey/readers into label rows.
 *
 *   node --import tsx bench/readers.ts [cases]
 *
 * The files are made once under bench/.tmp/readers-<cases>/ and reused: the CSV by the synthetic
 * generator; the .sav by PSPP (test/fixtures/install-pspp.sh) from the CSV with each column's answers
 * coded 1..k and labelled; the .xlsx by exceljs's streaming writer. Each reading is its own process
 * (wall time including Node's start, and peak RSS from GNU time); the median of the runs is printed.
 * The CSV is read by csv-parse, as readers/csv.ts does, not by the clean step's byte-range reader.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';
import { exportChunks, respondentsPerArea } from '../tools/synth/generate.js';
import { SEED } from '../tools/synth/parameters.js';
import { cores, fmt, median, timeWithRss } from './measure.js';

const cases = Number(process.argv[2] ?? 1_000_000);
const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'bench/.tmp', `readers-${cases}`);

/** Barnet's export with at least `cases` rows, cut to exactly `cases`. */
async function makeCsv(file: string): Promise<void> {
  const barnetShare = respondentsPerArea(1_000_000).Barnet! / 1_000_000;
  const total = Math.ceil(cases / barnetShare) + 1000;
  const out = createWriteStream(file);
  let lines = -1; // the header is not a case
  outer: for (const chunk of exportChunks('Barnet', 2013, { seed: SEED, respondents: total, waves: [2013] })) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      lines++;
      if (lines === cases) {
        out.write(chunk.slice(0, nl + 1));
        break outer;
      }
      start = nl + 1;
    }
    out.write(chunk);
  }
  await new Promise<void>((r) => out.end(() => r()));
}

function csvRows(file: string): AsyncIterable<string[]> {
  return createReadStream(file).pipe(parse({ skip_empty_lines: true }));
}

/** PSPP writes the .sav: each column's distinct answers become codes 1..k with the answers as value labels. */
async function makeSav(csv: string, sav: string): Promise<void> {
  let header: string[] = [];
  const codes: Map<string, number>[] = [];
  const coded = join(dir, 'coded.txt');
  const out = createWriteStream(coded);
  for await (const row of csvRows(csv)) {
    if (!header.length) {
      header = row;
      header.forEach(() => codes.push(new Map()));
      continue;
    }
    const line = row.map((cell, c) => {
      if (c === 0) return cell;
      if (cell === '') return '';
      let code = codes[c]!.get(cell);
      if (code === undefined) codes[c]!.set(cell, (code = codes[c]!.size + 1));
      return String(code);
    });
    if (!out.write(`${line.join(',')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const sps = [
    "SET LOCALE='C.UTF-8'.",
    `GET DATA /TYPE=TXT /FILE=${quote(coded)} /ARRANGEMENT=DELIMITED /DELIMITERS=',' /FIRSTCASE=1`,
    `  /VARIABLES=${header.map((h, c) => `${h} ${c === 0 ? 'A12' : 'F3.0'}`).join(' ')}.`,
    'VALUE LABELS',
    header
      .slice(1)
      .map((h, i) => `  ${h} ${[...codes[i + 1]!].map(([label, code]) => `${code} ${quote(label)}`).join(' ')}`)
      .join('\n  /'),
    '.',
    `SAVE OUTFILE=${quote(sav)} /COMPRESSED.`,
  ].join('\n');
  writeFileSync(join(dir, 'make.sps'), sps);
  execFileSync('pspp', [join(dir, 'make.sps'), '-o', '/dev/null'], { stdio: 'inherit' });
}

async function makeXlsx(csv: string, xlsx: string): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: true });
  const sheet = book.addWorksheet('Responses');
  for await (const row of csvRows(csv)) sheet.addRow(row).commit();
  sheet.commit();
  await book.commit();
}

async function files(): Promise<Record<'csv' | 'sav' | 'xlsx', string>> {
  const out = { csv: join(dir, 'barnet.csv'), sav: join(dir, 'barnet.sav'), xlsx: join(dir, 'barnet.xlsx') };
  if (existsSync(join(dir, 'complete'))) return out;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const step = async (what: string, make: () => Promise<void>) => {
    const t = performance.now();
    await make();
    console.log(`made ${what} in ${fmt(performance.now() - t)}`);
  };
  await step('the CSV', () => makeCsv(out.csv));
  await step('the .sav (PSPP)', () => makeSav(out.csv, out.sav));
  await step('the .xlsx (exceljs)', () => makeXlsx(out.csv, `${out.xlsx}.partial`).then(() => renameSync(`${out.xlsx}.partial`, out.xlsx)));
  writeFileSync(join(dir, 'complete'), '');
  return out;
}

const made = await files();
const runs = Number(process.env.BENCH_RUNS ?? 3);
console.log(`${cases} cases, ${cores} cores, median of ${runs} runs (xlsx: ${Math.min(runs, 1)} run)`);
const results: Record<string, { ms: number; rss: number; out: string }> = {};
for (const [format, file] of Object.entries(made)) {
  const times: { ms: number; rss: number }[] = [];
  let printed = '';
  for (let i = 0; i < (format === 'xlsx' ? 1 : runs); i++) {
    const r = timeWithRss(process.execPath, ['--import', 'tsx', 'bench/_read-export.ts', file], { cwd: root, maxBuffer: 1 << 20 });
    times.push({ ms: r.ms, rss: r.rssMb ?? NaN });
  }
  printed = execFileSync('ls', ['-la', file], { encoding: 'utf8' }).trim().split(/\s+/)[4] ?? '';
  results[format] = { ms: median(times.map((t) => t.ms)), rss: median(times.map((t) => t.rss)), out: printed };
  console.log(`${format.padEnd(5)} ${(Number(printed) / 1e6).toFixed(0).padStart(5)} MB file  ${fmt(results[format]!.ms).padStart(9)}  peak RSS ${results[format]!.rss.toFixed(0)} MB`);
}
console.log(`.sav / .csv wall time: ${(results.sav!.ms / results.csv!.ms).toFixed(2)}×`);
