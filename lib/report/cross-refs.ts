/**
 * Numbered cross-references: "Table 3", "Tables 3 and 4", "Figure E1", "Section 2.5", "Appendix A"
 * in the text become links to the table, figure or heading of that number, as Quarto's @tbl-/@fig-
 * references do. Only numbers the document holds are linked, so every link resolves.
 */
import type { Block } from './document.js';

/** "Table 3" → "tbl-3": the anchors of the document's numbered tables, figures and sections. */
export function crossRefTargets(blocks: readonly Block[]): Map<string, string> {
  const targets = new Map<string, string>();
  const add = (name: string, id: string) => {
    if (!targets.has(name)) targets.set(name, id);
  };
  for (const b of blocks) {
    if (b.kind === 'table') add(b.table.label, b.table.id);
    else if (b.kind === 'figure') add(b.figure.label, b.figure.id);
    else if (b.kind === 'heading') {
      const numbered = /^(\d+(?:\.\d+)*)\.?\s/.exec(b.text);
      if (numbered) add(`Section ${numbered[1]}`, b.id);
      const appendix = /^Appendix ([A-Z])\b/.exec(b.text);
      if (appendix) add(`Appendix ${appendix[1]}`, b.id);
    }
  }
  return targets;
}

const TOKEN = String.raw`[A-Z]?\d+(?:\.\d+)*[a-z]?`;
const REFERENCE = new RegExp(String.raw`\b(Tables?|Figures?|Sections?|Appendix)\s+((?:${TOKEN}|[A-Z]\b)(?:(?:,\s*|,?\s+and\s+|\s+to\s+|-)${TOKEN})*)`, 'g');
const SINGULAR: Record<string, string> = { Tables: 'Table', Figures: 'Figure', Sections: 'Section' };

export type Piece = { text: string } | { text: string; href: string };

/** Splits text into plain pieces and links to the targets it names. */
export function linkReferences(text: string, targets: ReadonlyMap<string, string>): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(REFERENCE)) {
    const kind = SINGULAR[m[1]!] ?? m[1]!;
    const start = m.index!;
    if (start > last) pieces.push({ text: text.slice(last, start) });
    pieces.push({ text: `${m[1]} ` });
    const list = m[2]!;
    let at = 0;
    for (const t of list.matchAll(new RegExp(`${TOKEN}|[A-Z]\\b`, 'g'))) {
      if (t.index! > at) pieces.push({ text: list.slice(at, t.index!) });
      const id = targets.get(`${kind} ${t[0]}`);
      pieces.push(id ? { text: t[0], href: `#${id}` } : { text: t[0] });
      at = t.index! + t[0].length;
    }
    if (at < list.length) pieces.push({ text: list.slice(at) });
    last = start + m[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last) });
  return pieces;
}
