import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { discoverValues } from '../../runner/expand.js';
import { patternRegex, type Glob } from '../../runner/wildcard-rules.js';
import type { WildcardRules } from '../../runner/dag.js';

const PATTERN = 'raw/{wave}/{area}.{csv,sav}';
const RULES: WildcardRules = { ignoreCase: true, unique: true, noOtherFiles: true, allowed: { wave: /^[0-9]{4}$/, area: ['barnet', 'bristol'] } };

/** A glob over a fixed list of files, as fast-glob answers it (case folded when asked). */
function globOver(files: string[]): Glob {
  return (pattern, options) => {
    const regex = patternRegex(pattern, options?.ignoreCase);
    return files.filter((f) => regex.test(f));
  };
}
const discover = (files: string[], rules = RULES) => discoverValues(PATTERN, globOver(files), rules);
const failure = (files: string[]) => {
  try {
    discover(files);
  } catch (e) {
    return `${(e as Error).message} | ${(e as { hint?: string }).hint}`;
  }
  return 'no error';
};

test('a pattern reads {name} as one segment and {a,b} as a choice of spellings', () => {
  assert.ok(patternRegex(PATTERN).test('raw/2013/barnet.sav'));
  assert.not.ok(patternRegex(PATTERN).test('raw/2013/barnet.xls'));
  assert.not.ok(patternRegex(PATTERN).test('raw/2013/Barnet.CSV'));
  assert.ok(patternRegex(PATTERN, true).test('raw/2013/Barnet.CSV'));
});

test('names are matched whatever their case, and values are lowercased', () => {
  assert.equal(discover(['raw/2013/Barnet.CSV', 'raw/2013/bristol.sav', 'raw/codebooks/barnet.json']), [
    { wave: '2013', area: 'barnet' },
    { wave: '2013', area: 'bristol' },
  ]);
});

test('a second file for the same values is an error naming both', () => {
  assert.is(
    failure(['raw/2013/barnet.csv', 'raw/2013/Barnet.csv']),
    'raw/2013/Barnet.csv and raw/2013/barnet.csv are both {wave} = 2013, {area} = barnet (pattern raw/{wave}/{area}.{csv,sav}): one file each | Keep the right one and move the other out of the folder.',
  );
  assert.match(failure(['raw/2013/barnet.csv', 'raw/2013/barnet.sav']), /^raw\/2013\/barnet.csv and raw\/2013\/barnet.sav are both/);
});

test('a value outside the allowed ones is an error naming the file and the values allowed', () => {
  assert.is(
    failure(['raw/2013/barnet.csv', 'raw/2013/barnet-copy.csv']),
    'raw/2013/barnet-copy.csv gives {area} = "barnet-copy", which is not one of barnet, bristol (pattern raw/{wave}/{area}.{csv,sav}) | Rename the file to what it holds, or move it out of raw/2013/.',
  );
  assert.match(failure(['raw/2013 copy/barnet.csv']), /gives \{wave\} = "2013 copy", which is not of the form/);
});

test('a file of another format in a folder the pattern reads is an error; other folders are not looked at', () => {
  assert.is(
    failure(['raw/2013/barnet.csv', 'raw/2013/bristol.xls']),
    'raw/2013/bristol.xls is not a file the pipeline reads: files in this folder must match {area}.{csv,sav} (pattern raw/{wave}/{area}.{csv,sav}) | Rename it, convert it to a format the pattern names, or move it out of the folder.',
  );
  assert.equal(discover(['raw/2013/barnet.csv', 'raw/codebooks/barnet.json', 'raw/README.md']), [{ wave: '2013', area: 'barnet' }]);
});

test('without rules every matching file makes a value, as before', () => {
  assert.equal(discoverValues('raw/{wave}/{area}.csv', globOver(['raw/2013/a.csv', 'raw/2013/A.csv'])), [
    { wave: '2013', area: 'a' },
    { wave: '2013', area: 'A' },
  ]);
});

test.run();
