import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readPublished } from '../../../lib/report/published.js';
import { audit } from '../../../steps/render/audit.js';
import { auditLineage } from '../../../steps/render/audit-lineage.js';
import { art } from './fixture-inputs.js';
import { labels } from '../../study.js';

// Line numbers matter: the lineage names the transcription's lines.
const transcription = [
  '{', // 1
  '  "source": {},', // 2
  '  "significance": {"critical_r": [', // 3
  '    {"area": "Barnet", "n": 430, "p05": 0.095, "p01": 0.124, "p001": 0.158}', // 4
  '  ]},', // 5
  '  "table1": {"rows": []},', // 6
  '  "table2": {"rows": []},', // 7
  '  "correlations": {"entries": [', // 8
  '    {"table": 3, "area": "Barnet", "theme": "community safety", "predictor": "conditions", "item": "", "r": 0.162, "printed": "0.162**", "stars": "**", "star_check": "consistent", "target_r": 0.162, "suspect": false, "note_ids": []},', // 9
  '    {', // 10
  '      "table": 4, "area": "Barnet", "theme": "community safety", "predictor": "satisfaction_response", "item": "crime",', // 11
  '      "r": 0.3, "printed": "0.3***", "stars": "***", "star_check": "consistent", "target_r": 0.3, "suspect": false, "note_ids": []', // 12
  '    }', // 13
  '  ], "not_asked": []},', // 14
  '  "table5": {"term_labels": {}, "entries": []},', // 15
  '  "claims": [],', // 16
  '  "notes": []', // 17
  '}', // 18
  '',
].join('\n');

const tables = {
  'tables/table3.csv': 'wave,area,theme,predictor,item,r\n2014,Barnet,community safety,conditions,,0.3\n2013,Barnet,community safety,conditions,,0.1\n',
  'tables/table4.csv': 'wave,area,theme,predictor,item,r\n2013,Barnet,community safety,satisfaction_response,crime,0.2\n',
};

test('each audit row rests on the transcription lines it judges and reads, and on the recomputed rows of the same cells', () => {
  const file = art('raw/published-tables.json', transcription);
  const published = readPublished(file);
  const checked = audit(labels, published);
  assert.equal(checked.rows.map((r) => `${r.check} ${r.table}`), ['stars 3', 'stars 4', 'undefined level 4']);
  const lineage = JSON.parse(auditLineage(checked, published, file, tables, 2013));
  assert.equal(lineage, {
    version: 2,
    inputs: ['raw/published-tables.json', 'tables/table2.csv', 'tables/table3.csv', 'tables/table4.csv', 'tables/table5.csv'],
    units: ['line', 'row', 'row', 'row', 'row'],
    sets: [
      // The printed r, the area's N beside it, and the r recomputed for 2013.
      [[0, [[4, 4], [9, 9]]], [2, [[2, 2]]]],
      [[0, [[4, 4], [10, 13]]], [3, [[1, 1]]]],
      [[0, [[10, 13]]], [3, [[1, 1]]]],
    ],
    rows: [[1, 0], [1, 1], [1, 2]],
  });
});

test.run();
