import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = new URL('../../../', import.meta.url).pathname;
const dir = join(repo, 'test/.tmp/codebook-cli');
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'tools/codebook/cli.ts'), ...args], { cwd: dir, encoding: 'utf8' });

test('draft writes raw/codebooks/<area>.json once, check then lists what the draft leaves unmapped', () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'raw/2013'), { recursive: true });
  mkdirSync(join(dir, 'raw/codebooks'));
  copyFileSync(join(repo, 'test/fixtures/exports/panel.sav'), join(dir, 'raw/2013/barnet.sav'));

  const draft = cli('draft', 'raw/2013/barnet.sav');
  assert.is(draft.status, 0, draft.stderr);
  assert.is(draft.stdout, 'raw/codebooks/barnet.json: draft of 7 columns (1 without a guessed variable); review each column\'s "review" notes\n');
  const book = JSON.parse(readFileSync(join(dir, 'raw/codebooks/barnet.json'), 'utf8'));
  assert.is(book.draft, true);

  const again = cli('draft', 'raw/2013/barnet.sav');
  assert.is(again.status, 1);
  assert.is(again.stderr, 'raw/codebooks/barnet.json: raw/codebooks/barnet.json exists: write the draft elsewhere with --out FILE (or --out - for the terminal)\n');

  const check = cli('check', 'raw/2013/barnet.sav');
  assert.is(check.status, 1);
  assert.equal(check.stdout.trim().split('\n'), [
    'raw/2013/barnet.sav, column "Q1", case 5: "7" is not mapped; 1 answer',
    'raw/2013/barnet.sav, column "Comment", case 1: "likes the park" is not mapped; 1 answer',
    'raw/2013/barnet.sav, column "Comment", case 3: "our café is good" is not mapped; 1 answer',
    'raw/2013/barnet.sav, column "Comment", case 5: "spaced" is not mapped; 1 answer',
  ]);
  rmSync(dir, { recursive: true, force: true });
});

test('a bad export is reported once, as a DataError naming the file', () => {
  mkdirSync(join(dir, 'raw/2013'), { recursive: true });
  copyFileSync(join(repo, 'test/fixtures/exports/bad-truncated.sav'), join(dir, 'raw/2013/barnet.sav'));
  const r = cli('draft', 'raw/2013/barnet.sav', '--out', '-');
  assert.is(r.status, 1);
  assert.is(r.stderr, 'raw/2013/barnet.sav, column "Comment", at case 3: the file ends inside case 3 (variable "Comment") of the 5 its header announces: it is truncated; export it again\n');
  rmSync(dir, { recursive: true, force: true });
});

test.run();
