/**
 * `npm run codebook -- draft raw/<wave>/<area>.<ext> [--sheet S] [--out FILE|-]`
 *   writes a draft codebook from the export (default raw/codebooks/<area>.json, never over an existing file);
 * `npm run codebook -- check raw/<wave>/<area>.<ext> [--codebook FILE] [--sheet S]`
 *   lists what the export holds that its codebook does not map (exit code 1 when anything);
 * `npm run codebook -- recovery`
 *   drafts from each shipped codebook's export and states how much of the codebook the draft recovers.
 * A project command outside the pipeline: the runner and the steps know nothing of it.
 */
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../../contract/step.js';
import { readExport, type ExportTable } from '../../lib/survey/readers/index.js';
import { areaFromSlug } from '../../lib/survey/study.js';
import type { Area } from '../../lib/survey/vocabulary.js';
import { STUDY } from '../synth/study.js';
import { checkExport, formatCheck } from './check.js';
import type { CodebookJson } from './codebook-json.js';
import { draftCodebook } from './draft.js';
import { percent, recovery } from './recovery.js';

const USAGE = 'usage: npm run codebook -- draft <export> [--sheet S] [--out FILE|-] | check <export> [--codebook FILE] [--sheet S] | recovery';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

/** Area and wave from `raw/<wave>/<slug>.<ext>`. */
function place(file: string): { area: Area; slug: string; wave: number } {
  const slug = basename(file).replace(/\.[^.]+$/, '');
  const area = areaFromSlug(STUDY, slug);
  const wave = Number(basename(dirname(file)));
  if (!area || !Number.isInteger(wave)) throw new DataError('an export must be raw/<wave>/<area-slug>.<csv|sav|zsav|xlsx>', { file });
  return { area, slug, wave };
}

/** The codebook version that applies to the export: the latest `<slug>.<v>.json` at or before its wave, else `<slug>.json`. */
function codebookFor(file: string): string {
  const { slug, wave } = place(file);
  const dir = join(dirname(dirname(file)), 'codebooks');
  const versions = readdirSync(dir)
    .map((f) => [f, /^(.+)\.(\d{4})\.json$/.exec(f)] as const)
    .filter(([, m]) => m && m[1] === slug && Number(m[2]) <= wave)
    .sort((a, b) => Number(b[1]![2]) - Number(a[1]![2]));
  return join(dir, versions[0]?.[0] ?? `${slug}.json`);
}

async function read(file: string, sheet?: string): Promise<ExportTable> {
  return readExport(file, readFileSync(file), sheet ? { sheet } : {});
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function main(args: string[]): Promise<number> {
  const [command, file] = args;
  if (command === 'draft' && file) {
    const { area, slug } = place(file);
    const table = await read(file, option(args, '--sheet'));
    const draft = draftCodebook(table, area, `npm run codebook -- draft ${file}`);
    const text = `${JSON.stringify(draft, null, 2)}\n`;
    const out = option(args, '--out') ?? join(dirname(dirname(file)), 'codebooks', `${slug}.json`);
    if (out === '-') process.stdout.write(text);
    else {
      if (existsSync(out)) throw new DataError(`${out} exists: write the draft elsewhere with --out FILE (or --out - for the terminal)`, { file: out });
      writeAtomic(out, text);
      const open = Object.values(draft.columns).filter((c) => c.variable === '').length;
      process.stdout.write(`${out}: draft of ${Object.keys(draft.columns).length} columns (${open} without a guessed variable); review each column's "review" notes\n`);
    }
    return 0;
  }
  if (command === 'check' && file) {
    const codebook = option(args, '--codebook') ?? codebookFor(file);
    const book = JSON.parse(readFileSync(codebook, 'utf8')) as CodebookJson;
    const table = await read(file, option(args, '--sheet') ?? book.sheet);
    const report = checkExport(table, book);
    process.stdout.write(`${formatCheck(file, codebook, report)}\n`);
    return report.missingColumns.length + report.extraColumns.length + report.unmapped.length ? 1 : 0;
  }
  if (command === 'recovery') {
    process.stdout.write(`${await recoveryTable('raw')}\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

/** Drafts each shipped codebook from the first export it applies to, and tabulates what the draft recovers. */
export async function recoveryTable(raw: string): Promise<string> {
  const waves = readdirSync(raw).filter((d) => /^\d{4}$/.test(d)).sort();
  const rows = ['codebook | export | label mappings | numeric flags | variables', '--- | --- | --- | --- | ---'];
  const totals: [number, number] = [0, 0];
  for (const name of readdirSync(join(raw, 'codebooks')).filter((f) => f.endsWith('.json')).sort()) {
    const [slug, version] = name.replace(/\.json$/, '').split('.');
    const wave = version ?? waves[0]!;
    const dir = join(raw, wave);
    const exportName = readdirSync(dir).find((f) => f.replace(/\.[^.]+$/, '') === slug);
    if (!exportName) continue;
    const file = join(dir, exportName);
    const book = JSON.parse(readFileSync(join(raw, 'codebooks', name), 'utf8')) as CodebookJson;
    const table = await read(file, book.sheet);
    const r = recovery(draftCodebook(table, place(file).area, ''), book);
    totals[0] += r.labels[0];
    totals[1] += r.labels[1];
    rows.push(`${name} | ${file} | ${r.labels[0]}/${r.labels[1]} (${percent(r.labels)}) | ${r.numeric[0]}/${r.numeric[1]} | ${r.variables[0]}/${r.variables[1]} (${percent(r.variables)})`);
  }
  rows.push(`all | | ${totals[0]}/${totals[1]} (${percent(totals)}) | |`);
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`${e instanceof DataError ? e.describe() : (e as Error).stack}\n`);
      process.exitCode = 1;
    },
  );
}
