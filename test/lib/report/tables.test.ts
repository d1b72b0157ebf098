import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toHtml } from '../../../lib/report/html.js';
import { readCorrelations, readLevels, readNudges } from '../../../lib/report/inputs.js';
import { toMarkdown } from '../../../lib/report/markdown.js';
import { correlationTable, nudgeTable, table2 } from '../../../lib/report/tables.js';
import { art, fixture } from '../../steps/render/fixture-inputs.js';
import { labels } from '../../study.js';

const individual = readCorrelations(art('correlate:table3.csv', fixture('table3.csv')));
const levels = readLevels(art('index:table2.csv', fixture('table2.csv')));
const nudges = readNudges(art('nudge-regress:table5.csv', fixture('table5.csv')), labels.terms());

test('Table 3 has area-theme columns, predictor rows, sub-items in one cell and "-" where not asked', () => {
  const t = correlationTable(labels, individual, 2014, 'individual', 'Table 3', 'tbl-3', 'tables/table3.csv');
  const md = toMarkdown([{ kind: 'table', table: { ...t, notes: [] } }]);
  assert.is(
    md,
    [
      '**Table 3.** Correlates of individual co-production: Pearson correlations by area and theme (wave 2014)',
      '',
      '|  | Barnet Comm safety | Bristol Env | Bristol Comm safety |',
      '|:---|---:|---:|---:|',
      '| Perceived local conditions | 0.162\\*\\* | -0.062 | -0.082\\* |',
      '| Satisfaction with the public response | Crime: 0.160\\*\\* ASB: 0.168\\*\\* | - | - |',
      '| People can make a difference | - | 0.144\\*\\* | - |',
      '| Gender | - | - | - |',
      '',
    ].join('\n'),
  );
});

test('significant cells carry their sign as a tone; mixed or unstarred cells none', () => {
  const t = correlationTable(labels, individual, 2014, 'individual', 'Table 3', 'tbl-3', 'tables/table3.csv');
  const tones = t.rows.map((r) => r.cells.slice(1).map((c) => c.tone ?? ''));
  assert.equal(tones, [
    ['positive', '', 'negative'],
    ['positive', '', ''],
    ['', 'positive', ''],
    ['', '', ''],
  ]);
});

test('a cell whose sub-items differ in significance marks each line, not the whole cell', () => {
  const mixed = readCorrelations(
    art('correlate:t.csv', 'wave,area,theme,predictor,item,r,n,p,stars,ci_low,ci_high,p_bh,method\n2014,Barnet,wellbeing,self_efficacy,ordinary citizens,0.044,400,0.4,,,,,pearson\n2014,Barnet,wellbeing,self_efficacy,people needing help,0.093,400,0.04,*,,,,pearson\n'),
  );
  const t = correlationTable(labels, mixed, 2014, 'individual', 'Table 3', 'tbl-3', 'tables/table3.csv');
  assert.equal(t.rows[0]!.cells[1], {
    lines: ['Ordinary citizens: 0.044', 'People needing help: 0.093*'],
    lineTones: [undefined, 'positive'],
    parts: [
      ['Ordinary citizens: ', { text: '0.044', ref: 'table3.csv:1:r' }],
      ['People needing help: ', { text: '0.093', ref: 'table3.csv:2:r' }, '*'],
    ],
  });
  const html = toHtml('t', [{ kind: 'table', table: t }]);
  assert.ok(
    html.includes(
      '<td class="num">Ordinary citizens: <span data-cell="table3.csv:1:r" tabindex="0">0.044</span><br><span class="positive">People needing help: <span data-cell="table3.csv:2:r" tabindex="0">0.093</span>*</span></td>',
    ),
  );
});

test('an earlier wave gets its own columns', () => {
  const t = correlationTable(labels, individual, 2013, 'individual', 'Table 3 (2013)', 'tbl-3-2013', 'tables/table3.csv');
  assert.equal(t.head, ['', 'Barnet Comm safety', 'Bristol Env']);
  assert.equal(t.rows.map((r) => r.cells.map((c) => c.lines.join(' '))), [['Perceived local conditions', '0.150**', '-0.070*']]);
});

test('Table 2 groups themes under area rows, rounds percentages and dashes missing ones', () => {
  const t = table2(labels, levels, 2014);
  assert.equal(
    t.rows.map((r) => (r.group ? `# ${r.cells[0]!.lines[0]}` : r.cells.map((c) => c.lines.join(' ')).join(' | '))),
    ['# Barnet', 'community safety | 45 | 13 | - | 40', '# Bristol', 'environment | 67 | 90 | 44 | 90', 'community safety | 57 | 28 | 36 | 90'],
  );
});

test('Table 5 shows each block once, Barnet by item, coefficients to one decimal with stars', () => {
  const t = nudgeTable(labels, nudges, 2014);
  assert.equal(
    t.rows.map((r) => r.cells.map((c) => c.lines.join(' '))),
    [
      ['Barnet', 'Community safety: crime', 'Nudge A', '2.7', '6.4**'],
      ['Bristol', 'Environment', 'Nudge A', '2.9**', '-'],
      ['', '', 'Nudge B', '0.3', '-'],
    ],
  );
});

test('HTML tables escape labels and mark tones with classes', () => {
  const t = correlationTable(labels, individual, 2014, 'individual', 'Table 3', 'tbl-3', 'tables/table3.csv');
  const html = toHtml('t', [{ kind: 'table', table: { ...t, head: ['<b>', ...t.head.slice(1)] } }]);
  assert.ok(html.includes('<th scope="col">&lt;b&gt;</th>'));
  // Each number carries the address of its CSV cell (row 1 = the first data row).
  const at = (predictor: string, item: string) => individual.find((r) => r.wave === 2014 && r.area === 'Barnet' && r.predictor === predictor && r.item === item)?.at;
  assert.ok(
    html.includes(
      `<td class="num positive">Crime: <span data-cell="table3.csv:${at('satisfaction_response', 'crime')}:r" tabindex="0">0.160</span>**<br>ASB: <span data-cell="table3.csv:${at('satisfaction_response', 'anti-social behaviour')}:r" tabindex="0">0.168</span>**</td>`,
    ),
    html,
  );
  assert.match(html, /<td class="num negative"><span data-cell="table3\.csv:\d+:r" tabindex="0">-0\.082<\/span>\*<\/td>/);
});

test.run();
