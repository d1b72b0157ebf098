import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePipeline, output, raw, step } from '../../runner/dag.js';
import { graphOf, readsOf, toDot, toMermaidGraph } from '../../runner/dag-view.js';
import { expandPipeline } from '../../runner/expand.js';

/** Per wave: sum; compare reads this wave's and the previous wave's sum; report gathers. */
const declared = definePipeline(
  [
    step('sum', { description: 'adds', module: 'steps/sum.ts', forEach: ['wave'], inputs: { numbers: raw('raw/{wave}.txt') } }),
    step('compare', { description: 'compares', module: 'steps/compare.ts', forEach: ['wave'], inputs: { sums: [output('sum', 'sum.json', { previous: true }), output('sum', 'sum.json')] } }),
    step('report', { description: 'reports', module: 'steps/report.ts', inputs: { changes: output('compare', 'change.csv'), sums: output('sum', 'sum.json') }, publish: 'reports' }),
  ],
  { wildcards: ['raw/{wave}.txt'] },
);
const branches = expandPipeline(declared, () => ['raw/2013.txt', 'raw/2014.txt']);

test('Mermaid: one edge per producer and reader, each file named once, the previous branch marked', () => {
  assert.is(
    toMermaidGraph(graphOf(declared, { raw: true })),
    [
      'flowchart LR',
      '  sum["sum (per wave)"]',
      '  raw1[/"raw/{wave}.txt"/]',
      '  compare["compare (per wave)"]',
      '  report["report"]',
      '  publish4[("reports/")]',
      '  raw1 --> sum',
      '  sum -->|sum.json (this and previous)| compare',
      '  compare -->|change.csv| report',
      '  sum -->|sum.json| report',
      '  report --> publish4',
    ].join('\n'),
  );
  assert.equal(readsOf(declared.steps[1]!), ['sums=sum:sum.json (this and the previous branch)']);
});

test('DOT of the branches: a node per branch, the first wave compares with nothing', () => {
  assert.is(
    toDot(graphOf(branches, { raw: false })),
    [
      'digraph pipeline {',
      '  rankdir=LR;',
      '  node [fontname="Helvetica"];',
      '  edge [fontname="Helvetica", fontsize=10];',
      '  "sum[2013]" [label="sum[2013]", shape=box];',
      '  "sum[2014]" [label="sum[2014]", shape=box];',
      '  "compare[2013]" [label="compare[2013]", shape=box];',
      '  "compare[2014]" [label="compare[2014]", shape=box];',
      '  "report" [label="report", shape=box];',
      '  "publish:reports" [label="reports/", shape=folder];',
      '  "sum[2013]" -> "compare[2013]" [label="sum.json"];',
      '  "sum[2013]" -> "compare[2014]" [label="sum.json (previous)"];',
      '  "sum[2014]" -> "compare[2014]" [label="sum.json"];',
      '  "compare[2013]" -> "report" [label="change.csv"];',
      '  "compare[2014]" -> "report" [label="change.csv"];',
      '  "sum[2013]" -> "report" [label="sum.json"];',
      '  "sum[2014]" -> "report" [label="sum.json"];',
      '  "report" -> "publish:reports";',
      '}',
    ].join('\n'),
  );
});

test.run();
