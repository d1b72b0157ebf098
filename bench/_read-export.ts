/**
 * Reads one export through the readers, as label rows, and prints `rows cells`: the measured child of
 * bench/readers.ts (a helper module: `npm run bench` skips files whose name starts with "_"). The file is
 * read whole, as the runner hands a step its input (`Artifact.bytes`).
 */
import { readFileSync } from 'node:fs';
import { openExport } from '../lib/survey/readers/index.js';

const file = process.argv[2]!;
// A Buffer is a Uint8Array: handed over as it is, not copied.
const source = await openExport(file, readFileSync(file));
let rows = 0;
let filled = 0;
for await (const row of source.rows()) {
  rows++;
  for (const cell of row.cells) if (cell !== '') filled++;
}
console.log(`${rows} ${filled}`);
