/**
 * The study changed as data, end to end in a copy of the project, each change a data edit with no code
 * change: a sixth council, a new theme in one area, a question asked from a later wave only, and an area
 * missing from a wave; and a label edit, which re-runs only what shows it. Each runs the pipeline to
 * reports/ on top of the one before.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { freshCopy, repo, run } from './project-copy.js';
import { readExport } from '../lib/survey/readers/index.js';

const BOM = '\ufeff';

function editJson(dir: string, path: string, edit: (doc: any) => void) {
  const doc = JSON.parse(readFileSync(join(dir, path), 'utf8'));
  edit(doc);
  writeFileSync(join(dir, path), JSON.stringify(doc, null, 2) + '\n');
}

/** Adds columns to an export, each a copy of an existing column's cells under a new header. */
function addColumns(dir: string, path: string, copies: [string, string][]) {
  const text = readFileSync(join(dir, path), 'utf8');
  const bom = text.startsWith(BOM);
  const rows = csvParseRows(bom ? text.slice(1) : text).filter((r) => !(r.length === 1 && r[0] === ''));
  const header = rows[0]!;
  const at = copies.map(([, from]) => header.indexOf(from));
  const out = rows.map((r, i) => [...r, ...(i === 0 ? copies.map(([name]) => name) : at.map((k) => r[k]!))]);
  writeFileSync(join(dir, path), (bom ? BOM : '') + csvFormatRows(out) + '\n');
}

/** A codebook column mapping `variable`, read as the column `from` of the same codebook is. */
const columnLike = (book: any, from: string, variable: string) => ({ ...book.columns[from], variable, question: `${book.columns[from].question} (${variable})` });

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');

const test = suite<{ dir: string }>('the study as data');
test.before(async (ctx) => {
  ctx.dir = freshCopy('study-as-data');
  // Some 2014 exports arrive as SPSS or Excel: these tests edit exports as text, so each is turned back
  // into the CSV of its cells (the same answers, so the same tables).
  for (const name of readdirSync(join(ctx.dir, 'raw', '2014')).filter((n) => !n.endsWith('.csv'))) {
    const path = join(ctx.dir, 'raw', '2014', name);
    const table = await readExport(path, new Uint8Array(readFileSync(path)));
    writeFileSync(path.replace(/\.[^.]+$/, '.csv'), csvFormatRows([table.columns.map((c) => c.name), ...table.rows.map((r) => r.cells)]) + '\n');
    rmSync(path);
  }
});
test.after((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const ran = (out: string[]) => out.filter((l) => l.startsWith('ran ')).map((l) => l.split(/\s+/)[1]!.replace(/\[.*$/, ''));

test('a label edited in the study re-runs the study step, the figures and the report alone', async ({ dir }) => {
  assert.is((await run(dir, 'run')).code, 0);
  editJson(dir, 'raw/study.json', (s) => (s.predictors.conditions.label = 'Local conditions as perceived'));
  const r = await run(dir, 'run');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.equal([...new Set(ran(r.out))], ['study', 'figures', 'render']);
  assert.match(read(dir, 'reports/paper.md'), 'Local conditions as perceived');
});

test('(a) a sixth council with its own exports, codebook and study entry appears in every table, figure and the report, as not in the paper', async ({ dir }) => {
  editJson(dir, 'raw/study.json', (s) => {
    const swansea = s.areas.find((a: any) => a.slug === 'swansea');
    s.areas.push({ ...structuredClone(swansea), name: 'Leeds', slug: 'leeds', facts: { authority: 'Leeds City Council', country: 'England' }, respondents: undefined });
  });
  // Its exports and codebook drawn by the generator from the study entry alone (no layout of its own).
  cpSync(join(repo, 'tools'), join(dir, 'tools'), { recursive: true });
  const synth = spawnSync(process.execPath, ['--import', 'tsx', 'tools/synth/cli.ts', '--areas', 'leeds'], { cwd: dir, encoding: 'utf8' });
  assert.is(synth.status, 0, synth.stderr);
  assert.equal(readdirSync(join(dir, 'raw/codebooks')).filter((f) => f.startsWith('leeds')), ['leeds.json']);
  assert.match(read(dir, 'raw/2014/leeds.csv'), /^respondent_id,environment_activities_recycle,/);
  const r = await run(dir, 'run');
  assert.is(r.code, 0, r.err.join('\n'));
  // Each area's clean and validate read only that area's part of the study: the other areas stay cached.
  const branches = r.out.filter((l) => /^(ran|cached)\s+(clean|validate)\[/.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' '));
  const ranBranches = branches.filter((b) => b.startsWith('ran')).map((b) => b.slice(4));
  assert.equal(ranBranches.filter((b) => !/,leeds\]$/.test(b)), [], 'no other area ran');
  assert.ok(ranBranches.includes('clean[2014,leeds]') && branches.includes('cached clean[2013,barnet]'), branches.join('\n'));
  for (const table of ['table2', 'table3', 'table4']) {
    const csv = read(dir, `reports/tables/${table}.csv`);
    assert.match(csv, /^2013,Leeds,environment,/m, table);
    assert.match(csv, /^2014,Leeds,environment,/m, table);
  }
  assert.match(read(dir, 'reports/tables/panel.csv'), /^2013,2014,Leeds,\d+,/m);
  for (const figure of ['table2-levels', 'table3-heatmap', 'table4-heatmap']) assert.match(read(dir, `reports/figures/${figure}.svg`), 'Leeds', figure);
  const paper = read(dir, 'reports/paper.md');
  assert.match(paper, '| Leeds (Leeds City Council) | England | - | - | environment | no | - |');
  assert.match(paper, 'The six study areas');
  assert.match(paper, 'Not in the paper: Leeds (in the data, but the article reports no value for it');
  assert.match(paper, 'Not in the paper: Leeds. The audit covers');
  assert.not.match(read(dir, 'reports/tables/reproduction.csv'), 'Leeds');
});

test('(b) a new theme in one area: its table rows, labels and column headings come from the study', async ({ dir }) => {
  editJson(dir, 'raw/study.json', (s) => {
    s.themes.housing = { short: 'Housing' };
    s.areas.find((a: any) => a.slug === 'swansea').themes.housing = { activities: ['repairs', 'report_repairs'], time_items: ['willing_time'], predictors: { conditions: [] } };
  });
  editJson(dir, 'raw/codebooks/swansea.json', (b) => {
    b.columns.H1_1 = columnLike(b, 'S1_1', 'housing/activities/repairs');
    b.columns.H1_2 = columnLike(b, 'S1_2', 'housing/activities/report_repairs');
    b.columns.H2 = columnLike(b, 'S2', 'housing/join_groups');
    b.columns.H3 = columnLike(b, 'S3', 'housing/willing_time');
    b.columns.H4 = columnLike(b, 'S4', 'housing/conditions');
  });
  for (const wave of ['2013', '2014']) addColumns(dir, `raw/${wave}/swansea.csv`, [['H1_1', 'S1_1'], ['H1_2', 'S1_2'], ['H2', 'S2'], ['H3', 'S3'], ['H4', 'S4']]);
  const r = await run(dir, 'run');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.match(read(dir, 'reports/tables/table2.csv'), /^2014,Swansea,housing,706,/m);
  assert.match(read(dir, 'reports/tables/table3.csv'), /^2014,Swansea,housing,conditions,/m);
  assert.not.match(read(dir, 'reports/tables/table2.csv'), /^2014,Leeds,housing/m, 'the other areas did not ask it');
  const paper = read(dir, 'reports/paper.md');
  assert.match(paper, 'Swansea Housing');
  assert.match(paper, 'housing in Swansea');
});

test('(c) a predictor asked from a later wave only is not asked earlier and flagged not comparable across the waves', async ({ dir }) => {
  editJson(dir, 'raw/study.json', (s) => {
    s.predictors.trust = { scale: 'efficacy', label: 'Trust in the council', phrase: 'trust in the council' };
    s.areas.find((a: any) => a.slug === 'swansea').themes.environment.predictors.trust = { sub_items: [], from_wave: 2014 };
  });
  copyFileSync(join(dir, 'raw/codebooks/swansea.json'), join(dir, 'raw/codebooks/swansea.2014.json'));
  editJson(dir, 'raw/codebooks/swansea.2014.json', (b) => {
    b.wave = 2014;
    b.columns.T1 = columnLike(b, 'S8', 'environment/trust');
  });
  addColumns(dir, 'raw/2014/swansea.csv', [['T1', 'S8']]);
  const r = await run(dir, 'run');
  assert.is(r.code, 0, r.err.join('\n'));
  const table3 = read(dir, 'reports/tables/table3.csv');
  assert.match(table3, /^2014,Swansea,environment,trust,,/m);
  assert.not.match(table3, /^2013,[^\n]*,trust,/m, 'nobody was asked it in 2013: no row, not a zero');
  assert.match(read(dir, 'reports/tables/correlation-changes.csv'), /^2013,2014,3,Swansea,environment,trust,,,,-?0\.\d+,\d+,,,,,,,,false,not asked in wave 2013$/m);
  const paper = read(dir, 'reports/paper.md');
  assert.match(paper, 'Trust in the council');
  assert.match(paper, 'Not comparable, because the earlier wave did not ask the question: trust in the council in environment in Swansea (not asked in wave 2013)');
});

test('(d) an area missing from a wave is left out of the comparison, which says so, unless the study marks it required', async ({ dir }) => {
  mkdirSync(join(dir, 'raw/2015'));
  for (const name of readdirSync(join(dir, 'raw/2014')).filter((n) => n !== 'swansea.csv')) {
    const lines = read(dir, `raw/2014/${name}`).trimEnd().split('\n');
    writeFileSync(join(dir, 'raw/2015', name), lines.slice(0, -1).join('\n') + '\n');
  }
  const r = await run(dir, 'run');
  assert.is(r.code, 0, r.err.join('\n'));
  assert.match(read(dir, 'reports/tables/panel.csv'), /^2014,2015,Swansea,,,,$/m);
  assert.match(read(dir, 'reports/paper.md'), 'Swansea is in only one of the two waves (no export in the other) and not compared.');
  editJson(dir, 'raw/study.json', (s) => (s.areas.find((a: any) => a.slug === 'swansea').required = true));
  const required = await run(dir, 'run');
  assert.is(required.code, 1, required.out.join('\n'));
  assert.match(required.err.join('\n'), 'compare-waves[2015]" failed: raw/2015/: no export for Swansea, which wave 2014 has, and the study (raw/study.json) marks it required');
});

test.run();
