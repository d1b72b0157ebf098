/**
 * The project's own pipeline, end to end: two runs from empty caches in two fresh copies of the
 * project, one step at a time (-j 1) and two at once (-j 2), give byte-identical reports/ and cache
 * entries, reports/ identical to the committed ones, and a second run in the same copy serves every
 * step from the cache.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { freshCopy, repo, run } from './project-copy.js';
import { CHECKED_OUTPUTS, checkOutputShapes } from './output-shapes.js';

function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      // The PDF is printed by npm run pdf, outside the pipeline, with Chromium's version and dates in it.
      if (relative(dir, path) === 'paper.pdf') continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** The cache entries under derived/: every output as written, each manifest without its `run` (times, pid). */
function entries(derived: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const [name, content] of tree(derived)) {
    if (!/^[^/]+\/[0-9a-f]{64}\//.test(name)) continue;
    if (!name.endsWith('/manifest.json')) found.set(name, content);
    else {
      const { run: _run, ...manifest } = JSON.parse(content.toString('utf8'));
      found.set(name, Buffer.from(JSON.stringify(manifest)));
    }
  }
  return found;
}

function sameTree(a: Map<string, Buffer>, b: Map<string, Buffer>, what: string) {
  assert.equal([...a.keys()], [...b.keys()], `${what}: the same files`);
  for (const [name, content] of a) assert.ok(content.equals(b.get(name)!), `${what}: ${name} is byte-identical`);
}

test('runs from empty caches at -j 1 and -j 2 give byte-identical reports and entries, reports equal to the committed ones', async () => {
  const [a, b] = [freshCopy('clone-a'), freshCopy('clone-b')];
  try {
    for (const [dir, jobs] of [[a, '1'], [b, '2']] as const) {
      rmSync(join(dir, 'reports'), { recursive: true, force: true });
      const r = await run(dir, 'run', '-j', jobs);
      assert.is(r.code, 0, r.err.join('\n'));
    }
    const reportsA = tree(join(a, 'reports'));
    sameTree(reportsA, tree(join(b, 'reports')), 'run A (-j 1) against run B (-j 2)');
    const entriesA = entries(join(a, 'derived'));
    assert.ok(entriesA.size > 50, `${entriesA.size} entry files`);
    sameTree(entriesA, entries(join(b, 'derived')), 'cache entries of run A (-j 1) against run B (-j 2)');
    sameTree(reportsA, tree(join(repo, 'reports')), 'a fresh run against the committed reports/ (regenerate them with npm run pipeline and commit)');
    // What one step writes and another reads matches its schema in schemas/, on the real data.
    const shapes = checkOutputShapes(join(a, 'derived'));
    assert.equal(shapes.errors, []);
    assert.equal(shapes.checked, CHECKED_OUTPUTS, 'every shape was written by the run and checked');
    const again = await run(a, 'run');
    assert.ok(again.out.slice(0, -1).every((l) => l.startsWith('cached')), again.out.join('\n'));
    const verify = await run(a, 'verify');
    assert.is(verify.code, 0, verify.out.join('\n'));
    // One number of Table 3 traced to its respondents: as many raw lines as the cell's n, each with its ID.
    const cell = await run(a, 'explain', 'reports/tables/table3.csv', '--cell', '1:r', '--rows', '--json');
    assert.is(cell.code, 0, cell.err.join('\n'));
    const lineage = JSON.parse(cell.out.join('\n'));
    assert.equal(lineage.levels.map((l: { step: string }) => l.step), ['render', 'correlate[2013]', 'index[2013]']);
    assert.is(lineage.rows.length, Number(lineage.context.n));
    assert.ok(lineage.rows.every((r: { key: string; file: string; line: number }) => r.key && r.file === 'raw/2013/barnet.csv' && r.line > 1));
    assert.equal(lineage.raw[0].readBy.map((r: { step: string }) => r.step), ['clean[2013,barnet]']);
    assert.ok(lineage.raw[0].readBy[0].with.some((f: { path: string }) => f.path === 'raw/codebooks/barnet.json'), 'the codebook it was read with');
    // A number of the audit: to the transcription's lines it judges and, through the same cell recomputed, to the respondents.
    const audited = JSON.parse((await run(a, 'explain', 'reports/tables/audit.csv', '--cell', '1:p_at_n', '--json')).out.join('\n'));
    assert.equal(audited.raw.map((r: { file: string }) => r.file), ['raw/2013/barnet.csv', 'raw/published-tables.json']);
    assert.equal(audited.stoppedAt, []);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test.run();
