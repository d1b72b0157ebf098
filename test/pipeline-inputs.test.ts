/**
 * Exports as ordinary tools and shared drives leave them, end to end in a copy of the project: what
 * means the same gives byte-identical tables; a stray, second or truncated export stops the run naming
 * the file, before any step has run on it; rejected rows are kept when the reject rate stops the run.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshCopy, run } from './project-copy.js';
import { generate } from '../tools/synth/generate.js';
import { SEED } from '../tools/synth/parameters.js';
import { RESENT, resentPath } from '../tools/synth/resent.js';

const tables = (dir: string) => Object.fromEntries(readdirSync(join(dir, 'reports', 'tables')).sort().map((f) => [f, readFileSync(join(dir, 'reports', 'tables', f), 'utf8')]));
const ran = (out: string[]) => out.filter((l) => /^(ran|failed) /.test(l));

const test = suite<{ dir: string; reference: Record<string, string> }>('inputs end to end');
test.before(async (ctx) => {
  ctx.dir = freshCopy('inputs');
  const r = await run(ctx.dir, 'run');
  assert.is(r.code, 0, r.err.join('\n'));
  ctx.reference = tables(ctx.dir);
});
test.after((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

test('an export renamed in capitals, and one saved again with Windows line ends, give the same tables', async ({ dir, reference }) => {
  const raw = (p: string) => join(dir, 'raw', p);
  const bristol = readFileSync(raw('2014/bristol.csv'), 'utf8');
  renameSync(raw('2013/barnet.csv'), raw('2013/Barnet.CSV'));
  writeFileSync(raw('2014/bristol.csv'), bristol.replace(/\r?\n/g, '\r\n'));
  try {
    const r = await run(dir, 'run');
    assert.is(r.code, 0, r.err.join('\n'));
    assert.equal(tables(dir), reference);
  } finally {
    renameSync(raw('2013/Barnet.CSV'), raw('2013/barnet.csv'));
    writeFileSync(raw('2014/bristol.csv'), bristol);
  }
});

test('the exports shipped as SPSS (.sav) and Excel (.xlsx) give the tables of the CSVs of the same answers', async ({ dir, reference }) => {
  const resent = Object.keys(RESENT).map((csv) => [csv, resentPath(csv)!] as const);
  const files = generate({ seed: SEED });
  const kept = resent.map(([, other]) => readFileSync(join(dir, other)));
  for (const [csv, other] of resent) {
    rmSync(join(dir, other));
    writeFileSync(join(dir, csv), files.find((f) => f.path === csv)!.content);
  }
  try {
    const r = await run(dir, 'run');
    assert.is(r.code, 0, r.err.join('\n'));
    for (const branch of ['clean[2014,swansea]', 'clean[2014,derbyshire-dales]']) assert.ok(ran(r.out).some((l) => l.includes(branch)), branch);
    assert.equal(tables(dir), reference);
  } finally {
    resent.forEach(([csv, other], i) => {
      rmSync(join(dir, csv));
      writeFileSync(join(dir, other), kept[i]!);
    });
  }
});

test('a stray copy of an export stops the run before any step, naming it and the areas of the study', async ({ dir }) => {
  const copy = join(dir, 'raw', '2013', 'barnet-copy.csv');
  copyFileSync(join(dir, 'raw', '2013', 'barnet.csv'), copy);
  try {
    const r = await run(dir, 'run');
    assert.is(r.code, 1);
    assert.equal(ran(r.out), []);
    const message = r.err.join('\n');
    assert.match(message, 'raw/2013/barnet-copy.csv gives {area} = "barnet-copy", which is not one of barnet, bristol, derbyshire-dales, swansea, wolverhampton');
  } finally {
    rmSync(copy);
  }
});

test('two exports of one area and wave, whatever their case or format, stop the run naming both', async ({ dir }) => {
  for (const name of ['Barnet.csv', 'barnet.sav']) {
    const second = join(dir, 'raw', '2013', name);
    copyFileSync(join(dir, 'raw', '2013', 'barnet.csv'), second);
    try {
      const r = await run(dir, 'run');
      assert.is(r.code, 1);
      assert.equal(ran(r.out), []);
      const [a, b] = [`raw/2013/${name}`, 'raw/2013/barnet.csv'].sort();
      assert.match(r.err.join('\n'), `${a} and ${b} are both {wave} = 2013, {area} = barnet`);
    } finally {
      rmSync(second);
    }
  }
});

test('a file in another format in a wave folder is named, not ignored', async ({ dir }) => {
  const other = join(dir, 'raw', '2013', 'barnet.xls');
  writeFileSync(other, 'x');
  try {
    const r = await run(dir, 'run');
    assert.is(r.code, 1);
    assert.match(r.err.join('\n'), 'raw/2013/barnet.xls is not a file the pipeline reads');
  } finally {
    rmSync(other);
  }
});

test('an export cut to its header line stops the run naming it: no area silently missing', async ({ dir }) => {
  const path = join(dir, 'raw', '2013', 'swansea.csv');
  const content = readFileSync(path, 'utf8');
  writeFileSync(path, content.slice(0, content.indexOf('\n') + 1));
  try {
    const r = await run(dir, 'run');
    assert.is(r.code, 1);
    assert.match(r.err.join('\n'), 'raw/2013/swansea.csv:2: export has a header but no respondents');
  } finally {
    writeFileSync(path, content);
  }
});

test('when the reject rate stops the run, the rejected rows and their reasons are kept and named; raw rows = valid + rejected', async ({ dir }) => {
  const r = await run(dir, 'run', '-S', 'validate.maxRejectRate=0');
  assert.is(r.code, 1);
  const message = r.err.join('\n');
  const kept = /kept in (derived\/validate\/failed\/[0-9a-f]{64}\/)/.exec(message)?.[1];
  assert.ok(kept, message);
  const report = JSON.parse(readFileSync(join(dir, kept!, 'validation-report.json'), 'utf8'));
  const rejected = readFileSync(join(dir, kept!, 'rejected.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const [file, f] of Object.entries<any>(report.files)) {
    assert.ok(f.rejected > 0, file);
    assert.is(f.valid + f.rejected, f.raw_rows, file);
    assert.ok(rejected.every((e) => e.source.file === file && e.reasons.length > 0));
  }
  // The cache never serves it: a run with the limit back runs on as before.
  assert.is((await run(dir, 'run')).code, 0);
});

test.run();
