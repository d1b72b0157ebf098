import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Comparison } from '../../../lib/report/reproduction.js';
import { reproductionLineage } from '../../../steps/render/reproduction-lineage.js';
import { expandedRows } from '../../row-lineage.js';

const comparison = (c: Partial<Comparison>): Comparison =>
  ({ table: '3', area: 'Barnet', theme: 'environment', predictor: 'conditions', item: '', outcome: '', term: '', published: 0, target: 0, recomputed: 0.1, difference: 0, tolerance: 0, decimals: 2, verdict: 'match', stars_published: '', stars_recomputed: '', suspect: false, note_ids: [], ...c }) as Comparison;

const tables = {
  'tables/table3.csv': 'wave,area,theme,predictor,item,r\n2014,Barnet,environment,conditions,,0.3\n2013,Barnet,environment,conditions,,0.1\n2013,Bristol,environment,satisfaction_response,crime & ASB,0.2\n',
  'tables/time-items.csv': 'wave,area,theme,item,pct,n\n2013,Barnet,wellbeing,current_time,58.13,400\n',
};

test("each comparison's row rests on the row of the paper's wave it recomputes; Table 1's counts on none", () => {
  const json = reproductionLineage(
      [
        comparison({}),
        comparison({ area: 'Bristol', predictor: 'satisfaction_response' }),
        comparison({ table: 'text', theme: 'wellbeing', predictor: 'current_time' }),
        comparison({ table: '1', theme: '', predictor: 'respondents' }),
        comparison({ recomputed: null, area: 'Swansea' }),
      ],
      tables,
      2013,
  );
  const at = (file: string) => JSON.parse(json).inputs.indexOf(file);
  assert.equal(expandedRows(json), [
    [[at('tables/table3.csv'), [2]]],
    // Asked under a sub-item's name only: its one row.
    [[at('tables/table3.csv'), [3]]],
    [[at('tables/time-items.csv'), [1]]],
    [],
    [],
  ]);
});

test.run();
