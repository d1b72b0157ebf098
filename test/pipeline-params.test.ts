/**
 * A parameter set on the command line, end to end in a fresh copy of the project: with
 * `-S correlate.method=spearman` the tables carry the method, and the report's tables, captions,
 * prose and reproduction check say Spearman and list the override; the next plain run is the
 * default report again.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../runner/cli.js';

const repo = new URL('..', import.meta.url).pathname;

test('-S correlate.method=spearman: tables, captions, prose and the reproduction check follow; the override is listed', async () => {
  const dir = join(repo, 'test', '.tmp', `params-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of ['pipeline.ts', 'package.json', 'package-lock.json', 'contract', 'lib', 'runner', 'steps', 'schemas', 'raw']) cpSync(join(repo, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, cwd: dir });
    return { code, out, err };
  };
  try {
    const r = await cli('run', '-S', 'correlate.method=spearman');
    assert.is(r.code, 0, r.err.join('\n'));
    const read = (path: string) => readFileSync(join(dir, path), 'utf8');
    for (const table of ['table3.csv', 'table4.csv']) {
      const lines = read(`reports/tables/${table}`).trim().split('\n');
      assert.ok(lines[0]!.endsWith(',p_bh,method'), lines[0]);
      assert.equal([...new Set(lines.slice(1).map((l) => l.split(',').at(-1)))], ['spearman'], table);
    }
    const paper = read('reports/paper.md');
    const has = (text: string) => assert.ok(paper.includes(text), `paper.md says: ${text}`);
    has('**Table 3.** Correlates of individual co-production: Spearman rank correlations (rho) by area and theme (wave 2014)');
    has('**Table 4.** Correlates of collective co-production: Spearman rank correlations (rho) by area and theme (wave 2014)');
    has('*Figure 2. Correlates of individual co-production (wave 2014; Spearman rank correlations (rho), data of Table 3).');
    has('The correlations in this section and in Tables 3 and 4 are Spearman rank correlations (rho)');
    has("their rows compare Spearman coefficients with the article's Pearson ones, not like with like.");
    has('> **Parameters set for this run.** correlate\\[2013\\].method = "spearman"; correlate\\[2014\\].method = "spearman".');
    assert.not.ok(paper.includes('Pearson correlations by area'), 'no table caption says Pearson');
    const log = read('derived/runs.ndjson').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(log.filter((l) => l.overrides).map((l) => [l.step, l.overrides]), [['correlate[2013]', { method: 'spearman' }], ['correlate[2014]', { method: 'spearman' }]]);

    const plain = await cli('run');
    assert.is(plain.code, 0, plain.err.join('\n'));
    assert.is(read('reports/paper.md'), readFileSync(join(repo, 'reports/paper.md'), 'utf8'), 'the default run gives the committed report again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
