import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileArtifact } from '../../runner/input-file.js';

const dir = join(new URL('../..', import.meta.url).pathname, 'test', '.tmp', `input-file-${process.pid}`);
mkdirSync(dir, { recursive: true });
const file = join(dir, 'records.ndjson');
const content = Array.from({ length: 50 }, (_, i) => `{"id":${i}}`).join('\n') + '\n';
writeFileSync(file, content);
const sha = createHash('sha256').update(content).digest('hex');

test('a read is checked against the expected hash', () => {
  const wrong = 'f'.repeat(64);
  assert.throws(() => fileArtifact('x:records.ndjson', file, wrong, () => new Error('does not match its manifest')).bytes, /does not match its manifest/);
  assert.is(Buffer.from(fileArtifact('x:records.ndjson', file, sha).bytes).toString(), content);
});

test.run();
