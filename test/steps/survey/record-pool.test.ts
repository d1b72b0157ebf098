import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lineBlocks } from '../../../steps/survey/ndjson.js';
import { checkBlocks, compileRecordSchema } from '../../../steps/survey/record-pool.js';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/record.schema.json', import.meta.url), 'utf8'));
const check = compileRecordSchema(schema);
const file = 'raw/2013/swansea.csv';
const record = (id: string, line: number, conditions: unknown = 4) =>
  JSON.stringify({ wave: 2013, area: 'Swansea', respondent_id: id, source: { file, line }, themes: { environment: { join_groups: 1, conditions } } });

function ndjson(n: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(i % 17 === 5 ? record(`r${i}`, i + 2, 99) : i % 23 === 0 ? '' : record(`r${i % 150}`, i + 2));
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

test('blocks checked with the worker thread give exactly the results of checking them here', () => {
  const bytes = ndjson(400);
  const blocks = lineBlocks(bytes, 600);
  const alone = checkBlocks(bytes, blocks, [file], schema, check, { minBlocksForWorker: Infinity });
  const shared = checkBlocks(bytes, blocks, [file], schema, check, { minBlocksForWorker: 1 });
  assert.is(alone.workerBlocks, 0);
  assert.ok(shared.workerBlocks > 0, 'the worker checked some blocks');
  assert.ok(blocks.length > 10);
  assert.equal(shared.results, alone.results);
  assert.ok(alone.results.some((r) => r!.failures.length > 0), 'some records fail the schema');
});

test('after the first block with a bad line, later blocks are not needed and that block reports the line', () => {
  const good = new TextDecoder().decode(ndjson(200));
  const bytes = new TextEncoder().encode(good + '{not json\n' + good);
  const blocks = lineBlocks(bytes, 600);
  for (const minBlocksForWorker of [Infinity, 1]) {
    const { results } = checkBlocks(bytes, blocks, [file], schema, check, { minBlocksForWorker });
    const first = results.findIndex((r) => r?.error);
    assert.ok(first > 0);
    assert.ok(results.slice(0, first).every((r) => r && !r.error), 'every block before it was checked');
    assert.match(results[first]!.error!.message, 'not a JSON record');
  }
});

test('a Node Buffer handed to the worker is copied, never taken from the caller', () => {
  const bytes = Buffer.from(ndjson(300));
  const before = Buffer.from(bytes);
  checkBlocks(bytes, lineBlocks(bytes, 600), [file], schema, check, { minBlocksForWorker: 1 });
  assert.is(bytes.length, before.length);
  assert.ok(bytes.equals(before));
});

test.run();
