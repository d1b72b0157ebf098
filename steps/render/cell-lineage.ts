/**
 * The record behind paper.html's lineage panel: for each published analysis CSV, which branch's
 * artifact each run of rows came from (with that entry's key and inputs), and for each row the
 * respondents it rests on, as the row's own n and the raw exports of its wave and area.
 */
import type { Artifact } from '../../contract/step.js';
import type { CleaningLog } from '../../lib/survey/cleaning-log.js';
import type { CellLineage } from '../../lib/report/cell-panel.js';
import type { Gathered } from '../../lib/report/gather.js';
import type { ProvenanceRecord } from './provenance.js';

export interface RowSource {
  at?: number;
  wave: number;
  area: string;
  n: number | null;
}

const dataRows = (a: Artifact) => a.text().split('\n').slice(1).filter((l) => l !== '').length;

export function cellLineage(
  tables: Record<string, { element: string; gathered: Gathered; rows: readonly RowSource[] }>,
  records: readonly ProvenanceRecord[],
  cleaning: CleaningLog | undefined,
): CellLineage {
  const rawFiles = Object.entries(cleaning?.files ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const filesOf = (wave: number, area: string) => rawFiles.filter(([, f]) => f.wave === wave && f.area === area).map(([path]) => path);
  const lineage: CellLineage = { files: {}, rows: {}, command: 'npm run pipeline -- explain reports/tables/{file} --cell {cell}' };
  for (const [file, t] of Object.entries(tables)) {
    let from = 1;
    const parts = t.gathered.parts.map((art) => {
      const count = dataRows(art);
      const branch = art.path.split(':')[0]!;
      const rec = records.find((r) => r.step === branch);
      const inputs = Object.values(rec?.inputs ?? {}).flat().map((i) => ({ path: i.path, hash: i.hash }));
      const part = { from, to: from + count - 1, branch, artifact: art.path, hash: art.hash, key: rec?.key ?? '', inputs };
      from += count;
      return part;
    });
    lineage.files[file] = { element: t.element, parts };
    for (const r of t.rows) if (r.at !== undefined) lineage.rows[`${file}:${r.at}`] = { n: r.n, files: filesOf(r.wave, r.area) };
  }
  return lineage;
}
