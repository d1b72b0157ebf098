/**
 * The provenance appendix: for every table and figure, the artifact it was drawn from (content hash),
 * the cache entry that made it (key), the code that ran (codeHash: hash of the sources' hashes) and the
 * tool versions, all read from the runner's provenance records. Nothing here is a time or a commit id,
 * so the appendix is the same bytes whenever the inputs are.
 */
import type { Artifact } from '../../contract/step.js';
import { bullets, cell, paragraph, type Block, type Row, type Table } from '../../lib/report/document.js';
import type { ProvenanceRecord } from '../../lib/table/provenance-record.js';

export type { ProvenanceRecord };

/** Every parameter set on the command line for the entries behind the report: `correlate[2013].method = "spearman"`. */
export function overrideLines(records: readonly ProvenanceRecord[]): string[] {
  return [...records]
    .sort(byName)
    .flatMap((r) => Object.entries(r.overrides ?? {}).map(([param, value]) => `${r.step}.${param} = ${JSON.stringify(value)}`));
}

/** What a report element was drawn from: input artifacts by the names render declares. */
export interface Source {
  element: string;
  inputs: Artifact[];
}

/** The appendix prints 12 hex digits of each hash (enough to tell entries apart); provenance.json keeps them whole. */
export const short = (hash: string) => hash.slice(0, 12);

const byName = <T extends { step: string }>(a: T, b: T) => (a.step < b.step ? -1 : a.step > b.step ? 1 : 0);

/** "correlate[2013]:table3.csv" → step "correlate[2013]", file "table3.csv"; raw files have no step. */
function split(path: string): { step: string; file: string } {
  // A branch of a per-wave step is named like `index[2014]`.
  const m = /^([a-z][a-z0-9-]*(?:\[[^\]]+\])?):(.+)$/.exec(path);
  return m ? { step: m[1]!, file: m[2]! } : { step: '', file: path };
}

export function provenanceBlocks(sources: readonly Source[], records: readonly ProvenanceRecord[]): Block[] {
  const steps = [...records].sort(byName);
  const recordOf = (step: string) => steps.find((r) => r.step === step);
  const sourceRows: Row[] = sources.flatMap((s) =>
    s.inputs.map((art, i) => {
      const { step, file } = split(art.path);
      const rec = step ? recordOf(step) : undefined;
      const out = rec?.outputs.find((o) => o.name === file);
      const hash = art.hash || out?.hash || '';
      const check = out && art.hash && out.hash !== art.hash ? ' (differs from the producing entry\'s record)' : '';
      return {
        cells: [cell(i === 0 ? s.element : ''), cell(art.path), cell(hash ? `${short(hash)}${check}` : 'not recorded'), cell(rec ? short(rec.key) : step ? 'no provenance record' : 'raw file'), cell(rec ? short(rec.codeHash) : '')],
      };
    }),
  );
  const sourcesTable: Table = {
    id: 'tbl-provenance-sources',
    label: 'Table P1',
    caption: 'What each table and figure was drawn from',
    head: ['Report element', 'Artifact', 'Content hash (sha256, first 12)', 'Cache key of the producing entry', 'Code hash'],
    align: ['left', 'left', 'left', 'left', 'left'],
    rows: sourceRows,
    notes: [],
    breakAnywhere: true,
  };
  const stepTable: Table = {
    id: 'tbl-provenance-steps',
    label: 'Table P2',
    caption: 'Upstream steps: module, cache key, code hash, runtime and parameters',
    head: ['Step', 'Module', 'Cache key', 'Code hash', 'Runtime', 'Parameters'],
    align: ['left', 'left', 'left', 'left', 'left', 'left'],
    rows: steps.map((r) => ({
      cells: [
        cell(r.step),
        cell(r.module),
        cell(short(r.key)),
        cell(short(r.codeHash)),
        cell(Object.entries(r.runtime).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k} ${v}`).join(', ')),
        cell(r.params === undefined || r.params === null ? 'none' : JSON.stringify(r.params)),
      ],
    })),
    notes: [],
    breakAnywhere: true,
  };
  const inputRows: Row[] = steps.flatMap((r) =>
    Object.entries(r.inputs)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([name, files]) => files.map((f) => ({ cells: [cell(r.step), cell(name), cell(f.path), cell(short(f.hash)), cell(String(f.bytes))] }))),
  );
  const inputTable: Table = {
    id: 'tbl-provenance-inputs',
    label: 'Table P3',
    caption: 'Inputs of each upstream step, with their content hashes',
    head: ['Step', 'Input', 'File or artifact', 'Content hash (sha256, first 12)', 'Bytes'],
    align: ['left', 'left', 'left', 'left', 'right'],
    rows: inputRows,
    notes: [],
    breakAnywhere: true,
  };
  const versions = new Map<string, Map<string, string[]>>();
  for (const r of steps)
    for (const [pkg, version] of Object.entries(r.dependencies)) {
      const byVersion = versions.get(pkg) ?? new Map<string, string[]>();
      byVersion.set(version, [...(byVersion.get(version) ?? []), r.step]);
      versions.set(pkg, byVersion);
    }
  const toolTable: Table = {
    id: 'tbl-provenance-tools',
    label: 'Table P4',
    caption: 'Tool versions the upstream steps ran with',
    head: ['Package', 'Version', 'Steps'],
    align: ['left', 'left', 'left'],
    rows: [...versions.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([pkg, byVersion]) => [...byVersion.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([v, s]) => ({ cells: [cell(pkg), cell(v), cell(s.join(', '))] }))),
    notes: [],
  };
  const blocks: Block[] = [
    paragraph(
      'Every number in this report can be traced to the cache entry that computed it. Table P1 names, for each table and figure, the artifact it was drawn from and that artifact\'s content hash; Table P2 gives each producing step\'s cache key and code hash (the hash of the hashes of every source file the step ran); Table P3 lists what each step read; Table P4 the package versions. Hashes are shortened to their first 12 hex digits here; ',
      { code: 'provenance.json' },
      ' beside this paper holds them whole (its shape: ', { code: 'schemas/report-provenance.schema.json' }, '). To follow a published file back to the raw exports, run ',
      { code: 'npm run pipeline -- explain reports/tables/table3.csv' },
      ' (or any other file under ', { code: 'reports/' }, '), and one number of a table back to its rows with ', { code: '--cell <row>:<column>' }, '.',
    ),
    { kind: 'table', table: sourcesTable },
  ];
  const overrides = overrideLines(records);
  if (overrides.length)
    blocks.push(
      paragraph('These parameters were set on the command line (', { code: '-S step.param=value' }, ') for the runs behind this report, in place of the defaults in ', { code: 'pipeline.ts' }, ':'),
      bullets(overrides.map((o) => [{ code: o }])),
    );
  if (steps.length) blocks.push({ kind: 'table', table: stepTable }, { kind: 'table', table: inputTable }, { kind: 'table', table: toolTable });
  else blocks.push(paragraph('No provenance records were supplied to this render, so the steps behind the artifacts are not listed.'));
  return blocks;
}

/** The whole record behind the appendix, hashes in full: what reports/provenance.json holds. */
export function provenanceJson(sources: readonly Source[], records: readonly ProvenanceRecord[]): string {
  const steps = [...records].sort(byName);
  const record = {
    sources: sources.map((s) => ({
      element: s.element,
      inputs: s.inputs.map((art) => {
        const { step } = split(art.path);
        const rec = step ? steps.find((r) => r.step === step) : undefined;
        return { artifact: art.path, hash: art.hash, ...(rec ? { key: rec.key, codeHash: rec.codeHash } : {}) };
      }),
    })),
    steps: steps.map((r) => ({
      step: r.step,
      module: r.module,
      key: r.key,
      codeHash: r.codeHash,
      code: r.code,
      dependencies: r.dependencies,
      runtime: r.runtime,
      params: r.params ?? null,
      ...(r.overrides ? { overrides: r.overrides } : {}),
      inputs: r.inputs,
      outputs: r.outputs,
    })),
  };
  return JSON.stringify(record, null, 2) + '\n';
}
