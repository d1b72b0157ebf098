/**
 * The regenerated paper as data: blocks of headings, paragraphs, lists, tables and figures. Both
 * paper.md and paper.html are printed from one document, so they cannot disagree, and every string is
 * escaped in one place per format (markdown.ts, html.ts) rather than wherever text is written.
 */

/** Inline text: plain strings, or spans the two printers mark up. */
export type Inline = string | { code: string } | { strong: string } | { em: string } | { link: string; href: string } | { counted: string; from: string } | CellNumber;

/**
 * A number in running text that is a cell of a table under reports/tables/: it carries the cell's
 * address as a table's numbers do (paper.html's `data-cell`), so the sentence leads to the rows.
 */
export interface CellNumber {
  text: string;
  ref: string;
}

/** A number of the prose read from a CSV cell (plain text when the row's place is not known). */
export const cellNumber = (text: string, ref: string | undefined): Inline => (ref ? { text, ref } : text);

/** Running text from strings and inline parts: \`prose\`In ${name}, ${cellNumber(…)}%.\`\``; adjacent strings merge. */
export function prose(strings: TemplateStringsArray, ...values: ReadonlyArray<Inline | readonly Inline[]>): Inline[] {
  const out: Inline[] = [];
  const push = (p: Inline) => {
    if (p === '') return;
    if (typeof p === 'string' && typeof out[out.length - 1] === 'string') out[out.length - 1] += p;
    else out.push(p);
  };
  strings.forEach((s, i) => {
    push(s);
    const v = values[i];
    if (v !== undefined) (Array.isArray(v) ? (v as readonly Inline[]) : [v as Inline]).forEach(push);
  });
  return out;
}

/** The words of running text without marks (for tests, alt text and plain lists). */
export const plainText = (parts: readonly Inline[]): string =>
  parts.map((p) => (typeof p === 'string' ? p : 'code' in p ? p.code : 'strong' in p ? p.strong : 'em' in p ? p.em : 'link' in p ? p.link : 'counted' in p ? p.counted : p.text)).join('');

/** "a", "a and b", "a, b and c" of running-text pieces; `separator` "; " for pieces holding commas. */
export function inlineList(items: ReadonlyArray<readonly Inline[]>, empty = 'none', separator = ', '): Inline[] {
  if (items.length === 0) return [empty];
  const last = items.length > 2 && separator === '; ' ? '; and ' : ' and ';
  return prose`${items.slice(0, -1).flatMap((item, i) => (i ? [separator, ...item] : [...item]))}${items.length > 1 ? last : ''}${items[items.length - 1]!}`;
}

/**
 * The numbers of a findings paragraph (counts of significant cells, ranges, levels), each marked as
 * counted from the table with anchor `from`: paper.html links them to it, paper.md prints them plain.
 * Years and significance levels are not counts, and stay text; numbers already linked to their cell
 * keep that link.
 */
export function countedFrom(paragraphs: readonly Inline[][], from: string): Inline[][] {
  return paragraphs.map((p) =>
    p.flatMap((part): Inline[] => {
      if (typeof part !== 'string') return [part];
      const out: Inline[] = [];
      let last = 0;
      // Significance and confidence levels are not counts: "p < .01", "the 5% level", "significant at 5%", "95% CI".
      for (const m of part.matchAll(/(?<![.\d])(?<!significant(?:ly)? at )\b\d+(?:\.\d+)?\b(?!%\s*(?:level|CI|interval|power))/g)) {
        if (/^(19|20)\d\d$/.test(m[0])) continue;
        if (m.index! > last) out.push(part.slice(last, m.index));
        out.push({ counted: m[0], from });
        last = m.index! + m[0].length;
      }
      if (last < part.length) out.push(part.slice(last));
      return out;
    }),
  );
}

export interface Cell {
  /** One or more lines (sub-item values); Markdown joins them with spaces, HTML with line breaks. */
  lines: string[];
  /** Significant positive / negative values, marked as the paper's table notes describe. */
  tone?: Tone;
  /** Per line, when the lines of one cell differ (one sub-item significant, another not). */
  lineTones?: Array<Tone | undefined>;
  /** Per line, the same text in parts, where some parts are numbers read from a published CSV cell. */
  parts?: LinePart[][];
}

/**
 * A piece of a printed line; a number taken from a cell of a table under reports/tables/ carries that
 * cell's address, `<file>:<row>:<column>` (row 1 = the first data row), which paper.html prints as
 * `data-cell` and `explain --cell` follows back to the rows it rests on.
 */
export type LinePart = string | { text: string; ref: string };

/** The paragraphs among `blocks` with their numbers marked as counted from the table `from`. */
export const countedIn = (blocks: readonly Block[], from: string): Block[] =>
  blocks.map((b) => (b.kind === 'paragraph' ? { ...b, inlines: countedFrom([b.inlines], from)[0]! } : b));

export const address = (file: string, row: number | undefined, column: string): string | undefined => (row === undefined ? undefined : `${file}:${row}:${column}`);

/** A part that is a number from a CSV cell (plain text when the row's place is not known). */
export const num = (text: string, ref: string | undefined): LinePart => (ref ? { text, ref } : text);

/** A cell whose lines are given in parts: the plain lines for Markdown, the parts for HTML. */
export function partsCell(lines: LinePart[][], extra: Omit<Cell, 'lines' | 'parts'> = {}): Cell {
  const text = (p: LinePart) => (typeof p === 'string' ? p : p.text);
  lines = lines.map((l) => l.filter((p) => p !== ''));
  return { lines: lines.map((l) => l.map(text).join('')), ...extra, ...(lines.some((l) => l.some((p) => typeof p !== 'string')) ? { parts: lines } : {}) };
}

export type Tone = 'positive' | 'negative';

export interface Row {
  cells: Cell[];
  /** A heading row spanning the table (Table 2's area rows); only its first cell is used. */
  group?: boolean;
}

export interface Table {
  /** Anchor and cross-reference id, e.g. "tbl-2". */
  id: string;
  /** "Table 2". */
  label: string;
  caption: string;
  head: string[];
  /** Per column; numbers read best right-aligned. */
  align: Array<'left' | 'right'>;
  rows: Row[];
  notes: Inline[][];
  /** Long unbroken values (hashes) that may wrap anywhere rather than widen the page. */
  breakAnywhere?: boolean;
}

export interface Figure {
  id: string;
  label: string;
  caption: string;
  /** File stem under figures/: the spec is figures/<name>.vl.json, the drawing figures/<name>.svg. */
  name: string;
  svg: string;
  /** What a reader without the picture should know (alt text). */
  alt: string;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string; id: string }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'callout'; inlines: Inline[] }
  | { kind: 'table'; table: Table }
  | { kind: 'figure'; figure: Figure };

export const heading = (level: 1 | 2 | 3 | 4, text: string, id: string): Block => ({ kind: 'heading', level, text, id });
export const paragraph = (...inlines: Inline[]): Block => ({ kind: 'paragraph', inlines });
export const bullets = (items: Inline[][]): Block => ({ kind: 'list', items });
export const callout = (...inlines: Inline[]): Block => ({ kind: 'callout', inlines });
export const cell = (...lines: string[]): Cell => ({ lines });

/** "tbl-2", "sec-findings": ids from text, lower case, dashes. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
