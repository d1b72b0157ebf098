import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crossRefTargets, linkReferences } from '../../../lib/report/cross-refs.js';
import { countedFrom, heading, type Block } from '../../../lib/report/document.js';

const table = (label: string, id: string): Block => ({ kind: 'table', table: { id, label, caption: '', head: [], align: [], rows: [], notes: [] } });
const blocks: Block[] = [
  heading(2, '2. Findings, wave 2014', 'sec-findings'),
  heading(3, '2.5 The experiment', 'sec-experiment'),
  table('Table 3', 'tbl-3'),
  table('Table 4', 'tbl-4'),
  table('Table 3 (2013)', 'tbl-3-2013'),
  table('Table E1', 'tbl-e1'),
  table('Table E3', 'tbl-e3'),
  heading(2, 'Appendix A. Earlier waves', 'sec-earlier'),
];
const targets = crossRefTargets(blocks);
const html = (text: string) => linkReferences(text, targets).map((p) => ('href' in p ? `[${p.text}](${p.href})` : p.text)).join('');

test('numbered tables, sections and appendices are linked; a list links each number it names', () => {
  assert.is(html('as Tables 3 and 4 show'), 'as Tables [3](#tbl-3) and [4](#tbl-4) show');
  assert.is(html('see Section 2.5 and Appendix A.'), 'see Section [2.5](#sec-experiment) and Appendix [A](#sec-earlier).');
  assert.is(html('Tables E1-E3, Table 3'), 'Tables [E1](#tbl-e1)-[E3](#tbl-e3), Table [3](#tbl-3)');
});

test('a number the document does not hold stays text, so no link is left dangling', () => {
  assert.is(html('Table 9 and Figure 2'), 'Table 9 and Figure 2');
  assert.is(html('in 2014 the table'), 'in 2014 the table');
});

test('the counts and ranges of a findings paragraph are marked as counted from its table; years are not', () => {
  assert.equal(countedFrom([['In 2014, positive in 4 of the 9 cells, r from 0.12 to ', { strong: '0.30' }, '.']], 'tbl-3'), [
    ['In 2014, positive in ', { counted: '4', from: 'tbl-3' }, ' of the ', { counted: '9', from: 'tbl-3' }, ' cells, r from ', { counted: '0.12', from: 'tbl-3' }, ' to ', { strong: '0.30' }, '.'],
  ]);
});

test('a significance level is no count: "p < .01" and "the 5% level" stay text, as do numbers already linked to their cell', () => {
  assert.equal(countedFrom([['3 cells (p < .01) at the 5% level, 2 significant at 5% (95% CI ', { text: '0.41', ref: 'table3.csv:2:r' }, ')']], 'tbl-3'), [
    [{ counted: '3', from: 'tbl-3' }, ' cells (p < .01) at the 5% level, ', { counted: '2', from: 'tbl-3' }, ' significant at 5% (95% CI ', { text: '0.41', ref: 'table3.csv:2:r' }, ')'],
  ]);
});

test.run();
