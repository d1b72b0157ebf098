import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureProject, DAG_MODULE, type FixtureProject } from './fixture-project.js';

const FLECHETTE = import.meta.resolve('@uwdata/flechette');

/** One step writing the same small table as Arrow, CSV and NDJSON, and publishing the CSV. */
function tablesProject(): FixtureProject {
  return fixtureProject({
    'pipeline.ts': `import { definePipeline, step, raw } from '${DAG_MODULE}';
export default definePipeline([
  step('tables', { description: 'writes tables', module: 'steps/tables.ts', inputs: { seed: raw('raw/seed.txt') }, publish: 'reports' }),
]);
`,
    'raw/seed.txt': '1\n',
    'steps/tables.ts': `import { tableFromArrays, tableToIPC, int32, float64, utf8, dictionary } from '${FLECHETTE}';
export default () => ({
  'people.arrow': tableToIPC(tableFromArrays({ id: ['a1', 'b22', 'c3'], age: [31, null, 7], score: [0.5, 12.25, -1], area: ['north', 'south', 'north'] },
    { types: { id: utf8(), age: int32(), score: float64(), area: dictionary(utf8()) } }), { format: 'file' }),
  'people.csv': 'id,age,note\\na1,31,"says ""hi"", twice"\\nb22,,\\nc3,7,x\\n',
  'people.ndjson': '{"id":"a1","tags":["x"]}\\n{"id":"b22","age":3}\\n',
});
`,
  });
}

const test = suite<{ p: FixtureProject }>('show');
test.before.each(async (ctx) => {
  ctx.p = tablesProject();
  const r = await ctx.p.cli('run', '-j', '1');
  assert.is(r.code, 0, r.err.join('\n'));
});
test.after.each((ctx) => ctx.p.remove());

test('an Arrow table prints aligned, with its types, numbers to the right and missing values marked', async ({ p }) => {
  const r = await p.cli('show', 'tables:people.arrow');
  assert.equal(r.out, [
    'tables:people.arrow  (arrow, 4 columns, 3 rows)',
    'id      age    score  area',
    'utf8  int32  float64  dictionary<utf8>',
    '----  -----  -------  ----------------',
    'a1       31      0.5  north',
    'b22       ·    12.25  south',
    'c3        7       -1  north',
  ]);
});

test('--csv prints every row as CSV, quoting as needed; --limit cuts the rows', async ({ p }) => {
  assert.equal((await p.cli('show', 'tables:people.arrow', '--csv')).out, ['id,age,score,area', 'a1,31,0.5,north\nb22,,12.25,south\nc3,7,-1,north']);
  assert.equal((await p.cli('show', 'reports/people.csv', '--csv', '--limit', '1')).out, ['id,age,note', 'a1,31,"says ""hi"", twice"']);
  const text = await p.cli('show', 'tables:people.csv', '--limit', '2');
  assert.equal(text.out.slice(-1), ['… 1 more rows (--limit N to show more, --csv for every row)']);
});

test('NDJSON and JSON are tables of their objects; a nested value is shown as JSON', async ({ p }) => {
  const r = await p.cli('show', 'tables:people.ndjson', '--json');
  const [t] = JSON.parse(r.out.join('\n'));
  assert.equal([t.format, t.columns.map((c: any) => c.name), t.rows], ['ndjson', ['id', 'tags', 'age'], [['a1', '["x"]', null], ['b22', null, 3]]]);
});

test('a step name, an unknown file or a file that is not a table is an error that says what to name', async ({ p }) => {
  assert.match((await p.cli('show', 'tables')).err.join('\n'), 'pipeline: "tables" names a step, not a file');
  assert.match((await p.cli('show', 'tables:nope.csv')).err.join('\n'), 'step "tables" wrote no file "nope.csv"');
  assert.match((await p.cli('show', 'raw/seed.txt')).err.join('\n'), 'cannot show raw/seed.txt: not a table format');
  assert.is((await p.cli('show', 'tables:people.csv', '--limit', '-1')).code, 2);
});

test.run();
