import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { DAG_MODULE, fixtureProject, type FixtureProject } from './fixture-project.js';

const schema = (name: string) => new (Ajv as any)({ allErrors: true }).compile(JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')));
const cliSchema = schema('cli-explain-cell.schema.json');
const explainSchema = schema('cli-explain.schema.json');

/**
 * Three steps that follow the row-lineage convention: read (raw lines → rows, keyed by id), summarise
 * (rows → groups), publish (groups gathered under reports/). Only the runner's convention is under test.
 */
function lineageProject(): FixtureProject {
  return fixtureProject({
    'pipeline.ts': `import { definePipeline, step, raw, output } from '${DAG_MODULE}';
export default definePipeline([
  step('read', { description: 'reads people', module: 'steps/read.ts', inputs: { people: raw('raw/people.csv') } }),
  step('summarise', { description: 'groups them', module: 'steps/summarise.ts', inputs: { rows: output('read', 'rows.csv') } }),
  step('report', { description: 'publishes', module: 'steps/report.ts', inputs: { table: output('summarise', 'table.csv') }, publish: 'reports', publishKeeps: ['notes.pdf'] }),
]);
`,
    'raw/people.csv': 'id,score\nA,1\nB,2\nC,3\nD,4\n',
    'steps/read.ts': `export default function read(inputs: any) {
  const art = inputs.people[0];
  const lines = art.text().trim().split('\\n').slice(1);
  // Row k on line k + 1, one each: one run over lines 2 to the last.
  const lineage = { version: 2, inputs: [art.path], units: ['line'], sets: [[[0, [[2, lines.length + 1]]]]], rows: [[lines.length, 0, 'each']], keys: lines.map((l: string) => l.split(',')[0]) };
  return { 'rows.csv': 'id,score\\n' + lines.join('\\n') + '\\n', 'rows.csv.lineage.json': JSON.stringify(lineage) };
}
`,
    'steps/summarise.ts': `export default function summarise(inputs: any) {
  const art = inputs.rows[0];
  const lineage = { version: 2, inputs: [art.path], units: ['row'], sets: [[[0, [[1, 2]]]], [[0, [[3, 4]]]]], rows: [[1, 0], [1, 1]] };
  return { 'table.csv': 'group,n,mean\\nlow,2,1.5\\nhigh,2,3.5\\n', 'table.csv.lineage.json': JSON.stringify(lineage), 'other.csv': 'n\\n4\\n' };
}
`,
    'steps/report.ts': `export default function report(inputs: any) {
  const art = inputs.table[0];
  return { 'tables/table.csv': art.text(), 'tables/table.csv.lineage.json': JSON.stringify({ version: 2, inputs: [art.path], units: ['row'], sets: [[[0, [[1, 2]]]]], rows: [[2, 0, 'each']] }) };
}
`,
  });
}

const test = suite<{ p: FixtureProject }>('explain --cell');
test.before.each(async (ctx) => {
  ctx.p = lineageProject();
  const r = await ctx.p.cli('run');
  assert.is(r.code, 0, r.err.join('\n'));
});
test.after.each((ctx) => ctx.p.remove());

test('follows one cell of a published table through every step to the raw lines it rests on', async ({ p }) => {
  const r = await p.cli('explain', 'reports/tables/table.csv', '--cell', '2:mean', '--rows');
  assert.is(r.code, 0, r.err.join('\n'));
  const out = r.out.join('\n').replace(/[0-9a-f]{12}/g, 'HASH');
  assert.equal(out.split('\n').filter((l) => !l.startsWith('  read by') && !/, entry /.test(l)), [
    'reports/tables/table.csv row 2, column mean = 3.5',
    '  the row: group=high, n=2, mean=3.5',
    '  1 row of tables/table.csv rest on:',
    '    1 row of summarise:table.csv',
    '  1 row of table.csv rest on:',
    '    2 rows of read:rows.csv',
    '  2 rows of rows.csv rest on:',
    '    2 lines of raw/people.csv',
    'raw raw/people.csv  sha256 HASH  2 lines',
    'rows (2):',
    '  C  raw/people.csv:4',
    '  D  raw/people.csv:5',
  ]);
  assert.match(out, /read by read \(steps\/read\.ts\), params \{\}, with nothing else/);
});

test('--json gives the same walk as data, with the rows only under --rows', async ({ p }) => {
  const cell = JSON.parse((await p.cli('explain', 'summarise:table.csv', '--cell', '1:n', '--json')).out.join('\n'));
  assert.equal([cell.value, cell.levels.map((l: any) => l.step), cell.raw.map((r: any) => [r.file, r.lines]), cell.rows], ['2', ['summarise', 'read'], [['raw/people.csv', 2]], undefined]);
  assert.ok(cliSchema(cell), JSON.stringify(cliSchema.errors));
  const full = JSON.parse((await p.cli('explain', 'summarise:table.csv', '--cell', '1:n', '--rows', '--json')).out.join('\n'));
  assert.ok(cliSchema(full), JSON.stringify(cliSchema.errors));
  const rows = full.rows;
  assert.equal(rows, [{ key: 'A', file: 'raw/people.csv', line: 2 }, { key: 'B', file: 'raw/people.csv', line: 3 }]);
});

test('a sidecar of the first version (every row listed) is refused with what to do, not misread', async ({ p }) => {
  const dir = join(p.dir, 'derived', 'summarise', readFileSync(join(p.dir, 'derived', 'summarise', 'LATEST'), 'utf8').trim());
  writeFileSync(join(dir, 'table.csv.lineage.json'), JSON.stringify({ inputs: ['read:rows.csv'], units: ['row'], rows: [[[0, [1, 2]]], [[0, [3, 4]]]] }));
  const r = await p.cli('explain', 'summarise:table.csv', '--cell', '1:n');
  assert.is(r.code, 1, r.out.join('\n'));
  assert.match(r.err.join('\n'), /table\.csv\.lineage\.json is not in the shape of schemas\/row-lineage\.schema\.json \(version 2\)/);
  assert.match(r.err.join('\n'), 'Rerun summarise with --force');
});

test('says where the walk stops when a step recorded no row lineage', async ({ p }) => {
  const r = await p.cli('explain', 'summarise:other.csv', '--cell', '1:n');
  assert.is(r.code, 0);
  assert.match(r.out.join('\n'), 'stops at summarise:other.csv (1 row): summarise wrote no other.csv.lineage.json');
});

test('explain on a table prints a summary: columns, rows, inputs, how far its row lineage reaches, the command for one number', async ({ p }) => {
  const r = await p.cli('explain', 'reports/tables/table.csv');
  assert.is(r.code, 0, r.err.join('\n'));
  const out = r.out.map((l) => l.replace(/[0-9a-f]{12}/g, 'HASH'));
  assert.match(out[1]!, /^ {2}made by report \(steps\/report\.ts\), entry derived\/report\/HASH, ran \S+ in \d+ ms$/);
  assert.equal([out[0], ...out.slice(2)], [
    'reports/tables/table.csv  sha256 HASH  34 B  2 rows',
    '  columns (3): group, n, mean',
    '  params: {}',
    '  inputs:',
    '    table: 1 file from summarise',
    '  row lineage (what explain --cell follows):',
    '    report:tables/table.csv: 2 of 2 rows rest on summarise:table.csv',
    '    summarise:table.csv: 2 of 2 rows rest on read:rows.csv',
    '    read:rows.csv: 4 of 4 rows rest on raw/people.csv',
    '  raw files upstream: 1, none changed since',
    '  one number: npm run pipeline -- explain reports/tables/table.csv --cell 1:mean (add --rows for its raw lines); every entry and hash: --tree, or --json',
  ]);
  const other = (await p.cli('explain', 'summarise:other.csv')).out;
  assert.ok(other.includes('    summarise:other.csv: 1 row, no other.csv.lineage.json: the walk stops here'), other.join('\n'));
});

test('--tree prints the whole tree for a table, and --json holds the tree and the summary', async ({ p }) => {
  const tree = (await p.cli('explain', 'reports/tables/table.csv', '--tree')).out.join('\n');
  for (const part of ['  code: steps/report.ts', 'input table:', 'summarise:table.csv', 'read:rows.csv', 'raw/people.csv']) assert.match(tree, part);
  const [lineage] = JSON.parse((await p.cli('explain', 'reports/tables/table.csv', '--json')).out.join('\n'));
  assert.ok(explainSchema([lineage]), JSON.stringify(explainSchema.errors));
  assert.is(lineage.producedBy.inputs.table[0].producedBy.inputs.rows[0].producedBy.inputs.people[0].artifact, 'raw/people.csv');
  assert.equal([lineage.table.columns, lineage.table.rows, lineage.table.rowLineage.map((c: { artifact: string; covered: number }) => [c.artifact, c.covered])], [
    ['group', 'n', 'mean'],
    2,
    [['report:tables/table.csv', 2], ['summarise:table.csv', 2], ['read:rows.csv', 4]],
  ]);
});

test('a row or column the table lacks, and --rows without --cell, are errors that say what there is', async ({ p }) => {
  const row = await p.cli('explain', 'summarise:table.csv', '--cell', '3:n');
  assert.is(row.code, 1);
  assert.match(row.err.join('\n'), 'has no row 3');
  assert.match(row.err.join('\n'), 'It has 2 data rows');
  const column = await p.cli('explain', 'summarise:table.csv', '--cell', '1:r');
  assert.match(column.err.join('\n'), 'has no column "r"');
  assert.match(column.err.join('\n'), 'Its columns: group, n, mean.');
  assert.match((await p.cli('explain', 'summarise:table.csv', '--cell', 'r')).err.join('\n'), '--cell "r" is not <row>:<column>');
  const rows = await p.cli('explain', 'summarise:table.csv', '--rows');
  assert.is(rows.code, 2);
});

test('publishing leaves the files the step declares as kept by other commands, and removes other strays', async ({ p }) => {
  p.write('reports/notes.pdf', '%PDF-1.7 printed elsewhere\n');
  p.write('reports/stale.csv', 'x\n');
  await p.cli('run', '--force=report');
  assert.is(p.read('reports/notes.pdf'), '%PDF-1.7 printed elsewhere\n');
  assert.not.ok(p.exists('reports/stale.csv'));
});

test.run();
