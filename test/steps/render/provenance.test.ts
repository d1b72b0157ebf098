import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../../contract/step.js';
import type { Block, Table } from '../../../lib/report/document.js';
import { provenanceBlocks } from '../../../steps/render/provenance.js';
import { readProvenanceRecord as readProvenance } from '../../../lib/table/provenance-record.js';
import { art, provenanceRecord, sha } from './fixture-inputs.js';

const tables = (blocks: Block[]) => blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table').map((b) => b.table);
const short = (h: string) => h.slice(0, 12);
const rows = (t: Table) => t.rows.map((r) => r.cells.map((c) => c.lines.join(' ')));

test('each source artifact is listed with its hash and the key and code hash of the entry that made it', () => {
  const csv = 'wave,area\n2013,Barnet\n';
  const record = readProvenance(art('correlate:provenance.json', provenanceRecord('correlate', { 'table3.csv': csv })));
  const [sources, steps, inputs, tools] = tables(provenanceBlocks([{ element: 'Table 3', inputs: [art('correlate:table3.csv', csv)] }], [record]));
  assert.equal(rows(sources!), [['Table 3', 'correlate:table3.csv', short(sha(csv)), short(sha('key:correlate')), short(sha('code:correlate'))]]);
  assert.equal(rows(steps!), [['correlate', 'steps/correlate.ts', short(sha('key:correlate')), short(sha('code:correlate')), 'node 20', 'none']]);
  assert.equal(rows(inputs!), [['correlate', 'records', 'clean:records.ndjson', short(sha('in:correlate')), '99']]);
  assert.equal(rows(tools!), [['csv-parse', '7.0.3', 'correlate']]);
});

test('an artifact whose hash differs from its producer\'s record is flagged; a missing record is said so', () => {
  const record = readProvenance(art('correlate:provenance.json', provenanceRecord('correlate', { 'table3.csv': 'old' })));
  const [sources] = tables(
    provenanceBlocks(
      [
        { element: 'Table 3', inputs: [art('correlate:table3.csv', 'new')] },
        { element: 'Table 5', inputs: [art('nudge-regress:table5.csv', 'x')] },
      ],
      [record],
    ),
  );
  assert.equal(rows(sources!).map((r) => r.slice(2, 4)), [
    [`${short(sha('new'))} (differs from the producing entry's record)`, short(sha('key:correlate'))],
    [short(sha('x')), 'no provenance record'],
  ]);
  const none = provenanceBlocks([{ element: 'Table 3', inputs: [art('correlate:table3.csv', 'new')] }], []);
  assert.ok(none.some((b) => b.kind === 'paragraph' && b.inlines.join('').includes('No provenance records were supplied')));
});

test('a provenance record not of the shape the runner hands over is a data error naming file, path and value (schemas/provenance-record.schema.json)', () => {
  const record = JSON.parse(provenanceRecord('index', { 'table2.csv': 'x' }));
  try {
    readProvenance(art('index:provenance.json', JSON.stringify({ ...record, key: undefined })));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DataError);
    assert.is((e as DataError).where.path, '/key');
    assert.match((e as DataError).message, 'is missing, as schemas/provenance-record.schema.json');
  }
  try {
    readProvenance(art('index:provenance.json', JSON.stringify({ ...record, codeHash: 'x' })));
    assert.unreachable();
  } catch (e) {
    assert.equal((e as DataError).where, { file: 'index:provenance.json', line: 1, path: '/codeHash', value: 'x' });
  }
});

test.run();
