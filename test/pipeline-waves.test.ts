/**
 * A research team's next wave, end to end in a copy of the project: exports dropped into raw/2015/
 * with the questionnaire unchanged run with no codebook edit, and a codebook version made for 2015
 * re-runs only 2015's branches.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvFormatRows } from 'd3-dsv';
import { freshCopy, run } from './project-copy.js';
import { readExport } from '../lib/survey/readers/index.js';

/**
 * 2014's exports less their last respondent: a new wave (not a repeated export) with 2014's questions.
 * An SPSS or Excel export comes back as the CSV of its cells.
 */
async function addWave2015(dir: string) {
  mkdirSync(join(dir, 'raw', '2015'));
  for (const name of readdirSync(join(dir, 'raw', '2014'))) {
    const path = join(dir, 'raw', '2014', name);
    if (name.endsWith('.csv')) {
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      writeFileSync(join(dir, 'raw', '2015', name), lines.slice(0, -1).join('\n') + '\n');
      continue;
    }
    const table = await readExport(path, new Uint8Array(readFileSync(path)));
    const rows = [table.columns.map((c) => c.name), ...table.rows.slice(0, -1).map((r) => r.cells)];
    writeFileSync(join(dir, 'raw', '2015', name.replace(/\.[^.]+$/, '.csv')), csvFormatRows(rows) + '\n');
  }
}

const statuses = (out: string[]) => Object.fromEntries(out.filter((l) => /^(ran|cached|failed|skipped) /.test(l)).map((l) => [l.split(/\s+/)[1]!, l.split(/\s+/)[0]!]));
const families = (out: string[], status: string, family: string) => Object.entries(statuses(out)).filter(([s, st]) => st === status && s.startsWith(`${family}[`)).map(([s]) => s);

const test = suite<{ dir: string }>('next wave');
test.before((ctx) => {
  ctx.dir = freshCopy('next-wave');
});
test.after((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

test('a wave with an unchanged questionnaire runs with no codebook edit, each area reading its latest codebook', async ({ dir }) => {
  assert.is((await run(dir, 'run')).code, 0);
  await addWave2015(dir);
  const r = await run(dir, 'run');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.equal(families(r.out, 'ran', 'clean').filter((s) => !s.startsWith('clean[2015')), [], 'earlier waves stay cached');
  assert.is(families(r.out, 'ran', 'clean').length, 5);
  const table2 = readFileSync(join(dir, 'reports', 'tables', 'table2.csv'), 'utf8');
  assert.match(table2, /^2015,Wolverhampton,/m);
  const lineage = (await run(dir, 'explain', 'clean[2015,wolverhampton]:records.arrow')).out.join('\n');
  assert.match(lineage, /raw\/codebooks\/wolverhampton\.2014\.json/, '2014\'s version carries forward to 2015');
  assert.not.match(lineage, /raw\/codebooks\/wolverhampton\.json/);
});

test('a codebook version for 2015 re-runs 2015 alone; a "wave" that disagrees with its file name is named', async ({ dir }) => {
  const book = JSON.parse(readFileSync(join(dir, 'raw', 'codebooks', 'wolverhampton.2014.json'), 'utf8'));
  const path = join(dir, 'raw', 'codebooks', 'wolverhampton.2015.json');
  writeFileSync(path, JSON.stringify(book, null, 2) + '\n');
  const wrong = await run(dir, 'run');
  assert.is(wrong.code, 1);
  const message = wrong.err.join('\n');
  assert.match(message, 'clean[2015,wolverhampton]');
  assert.match(message, 'raw/codebooks/wolverhampton.2015.json');
  assert.match(message, 'applies from wave 2015, but its "wave" is 2014');
  writeFileSync(path, JSON.stringify({ ...book, wave: 2015 }, null, 2) + '\n');
  const r = await run(dir, 'run');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.equal(families(r.out, 'ran', 'clean'), ['clean[2015,wolverhampton]']);
  assert.is(families(r.out, 'cached', 'clean').length, 14);
});

test.run();
