/**
 * `npm run bench`: the data plane's three comparisons side by side (bench/comparisons.ts);
 * `npm run bench -- all`: every benchmark in turn; `npm run bench -- <name>`: those whose file name
 * contains it. Each in its own process. Figures only; nothing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv[2] ?? 'comparisons';
const benches = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'measure.ts'].includes(f) && !f.startsWith('_'))
  .filter((f) => only === 'all' || f.includes(only))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n== bench/${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
