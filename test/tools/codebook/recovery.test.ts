import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recoveryTable } from '../../../tools/codebook/cli.js';

test('drafts from the shipped exports recover the shipped codebooks\' label mappings (measured, pinned)', async () => {
  const root = new URL('../../../raw', import.meta.url).pathname;
  const table = (await recoveryTable(root)).replaceAll(`${root}/`, 'raw/');
  assert.is(
    table,
    [
      'codebook | export | label mappings | numeric flags | variables',
      '--- | --- | --- | --- | ---',
      'barnet.json | raw/2013/barnet.csv | 128/128 (100.0%) | 0/0 | 33/33 (100.0%)',
      'bristol.json | raw/2013/bristol.csv | 29/37 (78.4%) | 22/22 | 2/26 (7.7%)',
      'derbyshire-dales.json | raw/2013/derbyshire-dales.csv | 160/160 (100.0%) | 0/0 | 27/41 (65.9%)',
      'swansea.json | raw/2013/swansea.csv | 33/48 (68.8%) | 0/0 | 1/13 (7.7%)',
      'wolverhampton.2014.json | raw/2014/wolverhampton.csv | 102/102 (100.0%) | 1/1 | 28/28 (100.0%)',
      'wolverhampton.json | raw/2013/wolverhampton.csv | 102/102 (100.0%) | 1/1 | 28/28 (100.0%)',
      'all | | 554/577 (96.0%) | |',
    ].join('\n'),
  );
});

test.run();
