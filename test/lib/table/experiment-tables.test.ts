import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact } from '../../../contract/step.js';
import { readBalance } from '../../../lib/report/experiment-inputs.js';
import { BALANCE, balanceContract, balanceHeader } from '../../../lib/table/experiment-tables.js';
import { headerOf } from '../../../lib/table/table-contract.js';
import { dataError } from '../../data-error.js';

test("balance.csv's contract for the shipped arms is the schema's; for other arms its per-arm columns follow the arms", () => {
  assert.equal(balanceContract(['none', 'A', 'B', 'both']), BALANCE);
  assert.equal(balanceHeader(['none', 'A', 'B']), ['wave', 'area', 'themes', 'variable', 'n', 'n_none', 'n_a', 'n_b', 'mean_none', 'mean_a', 'mean_b', 'smd_a', 'smd_b', 'test', 'statistic', 'df1', 'df2', 'p', 'note']);
  const c = balanceContract(['none', 'Letter']);
  assert.equal(headerOf(c).filter((n) => /^(n|mean|smd)_/.test(n)), ['n_none', 'n_letter', 'mean_none', 'mean_letter', 'smd_letter']);
  assert.equal(c.columns.find((col) => col.name === 'smd_letter'), { name: 'smd_letter', type: 'number', description: 'standardised difference of arm Letter against none, 4 decimals' });
});

test('readBalance reads the columns of the study\'s arms and names the first arm column a balance.csv of other arms lacks', () => {
  const header = balanceHeader(['none', 'A', 'B']).join(',');
  const text = `${header}\n2014,Barnet,environment,gender,90,30,30,30,0.5,0.4,0.6,-0.2,0.2,HC3 Wald F,1.5,2,87,0.22,\n`;
  const rows = readBalance(artifact('experiment:balance.csv', text), ['none', 'A', 'B']);
  assert.equal([rows[0]!.counts, rows[0]!.smd], [[30, 30, 30], [-0.2, 0.2]]);
  const e = dataError(() => readBalance(artifact('experiment:balance.csv', text), ['none', 'A', 'B', 'both']));
  assert.equal(e.where, { file: 'experiment:balance.csv', line: 1, column: 'n_both' });
});

test.run();
