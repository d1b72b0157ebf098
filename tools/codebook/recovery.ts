/**
 * How much of a reviewed codebook a draft recovers: each label → target pair of each column (label sets
 * resolved), each don't-know spelling, each column's "numeric" flag and each column's variable.
 */
import type { CodebookJson } from './codebook-json.js';
import { columnLabels } from './codebook-json.js';
import type { DraftCodebook } from './draft.js';

export interface Recovery {
  labels: [recovered: number, total: number];
  numeric: [number, number];
  variables: [number, number];
  /** Label mappings the draft missed or got wrong: `column: "label" → target (draft: …)`. */
  missed: string[];
}

export function recovery(draft: DraftCodebook, book: CodebookJson): Recovery {
  const out: Recovery = { labels: [0, 0], numeric: [0, 0], variables: [0, 0], missed: [] };
  for (const dk of book.dont_know) {
    out.labels[1]++;
    if (draft.dont_know.includes(dk)) out.labels[0]++;
    else out.missed.push(`dont_know: "${dk}"`);
  }
  for (const [header, col] of Object.entries(book.columns)) {
    const guess = draft.columns[header];
    out.variables[1]++;
    if (guess?.variable === col.variable) out.variables[0]++;
    if (col.numeric) {
      out.numeric[1]++;
      if (guess?.numeric) out.numeric[0]++;
    }
    for (const [label, target] of Object.entries(columnLabels(book, header))) {
      out.labels[1]++;
      const got = guess?.labels?.[label];
      if (got === target) out.labels[0]++;
      else out.missed.push(`${header}: "${label}" → ${JSON.stringify(target)} (draft: ${got === undefined ? 'none' : JSON.stringify(got)})`);
    }
  }
  return out;
}

export const percent = ([n, d]: [number, number]) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
