/**
 * Runs every `test/**\/*.test.ts` with uvu and ends with the line `N passed, N failed`, which CI reads.
 * `node --import tsx test/run.ts [substring]` runs only the files whose path contains the substring.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

process.env.TZ = 'UTC';
const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2] ?? '';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

const files = testFiles(join(root, 'test')).filter((f) => relative(root, f).includes(filter));
(globalThis as any).UVU_DEFER = 1;
const uvu = await import('uvu');
for (const [index, file] of files.entries()) {
  (globalThis as any).UVU_INDEX = index;
  (globalThis as any).UVU_QUEUE.push([relative(root, file)]);
  await import(pathToFileURL(file).href);
}

// uvu prints its own summary but returns nothing: read the counts off what it writes.
let summary = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: any, ...rest: any[]) => {
  summary += String(chunk);
  return write(chunk, ...rest);
}) as typeof process.stdout.write;
await uvu.exec(false);
process.stdout.write = write;
const plain = summary.replace(/\x1b\[[0-9;]*m/g, '');
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const failed = total - passed - skipped;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (failed > 0 || files.length === 0) process.exitCode = 1;
