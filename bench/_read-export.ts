/**
 * Reads one export through the readers, as label rows, and prints `rows cells`: the measured child of
 * bench/readers.ts (a helper module: `npm run bench` skips files whose name starts with "_"). The file is
 * handed over in pieces read into one reused buffer, as the runner's `chunks()` hands a step its input.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { openExport } from '../steps/survey/readers/index.js';

const file = process.argv[2]!;
const input = {
  *chunks(size: number) {
    const buffer = new Uint8Array(size);
    const fd = openSync(file, 'r');
    try {
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) yield buffer.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  },
};
const source = await openExport(file, input);
let rows = 0;
let filled = 0;
for await (const row of source.rows()) {
  rows++;
  for (const cell of row.cells) if (cell !== '') filled++;
}
console.log(`${rows} ${filled}`);
