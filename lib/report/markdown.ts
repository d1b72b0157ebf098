/**
 * Prints the document as CommonMark with GitHub-style tables. Every string from data goes through
 * escapeMarkdown, so a label like `<script>` or `*bold*` shows as those characters.
 */
import type { Block, Cell, Inline, Table } from './document.js';
import { escapeMarkdown } from './escape.js';

function inline(part: Inline): string {
  if (typeof part === 'string') return escapeMarkdown(part);
  if ('code' in part) {
    const ticks = part.code.includes('`') ? '``' : '`';
    return `${ticks}${part.code.replace(/[\r\n]+/g, ' ')}${ticks}`;
  }
  if ('strong' in part) return `**${escapeMarkdown(part.strong)}**`;
  if ('em' in part) return `*${escapeMarkdown(part.em)}*`;
  if ('counted' in part) return escapeMarkdown(part.counted);
  if ('ref' in part) return escapeMarkdown(part.text);
  return `[${escapeMarkdown(part.link)}](${encodeURI(part.href).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))})`;
}

export const inlines = (parts: readonly Inline[]) => parts.map(inline).join('');

const cellText = (c: Cell | undefined) => (c ? c.lines.map(escapeMarkdown).join(' ') : '');

function table(t: Table): string {
  const out = [`**${escapeMarkdown(t.label)}.** ${escapeMarkdown(t.caption)}`, ''];
  out.push(`| ${t.head.map(escapeMarkdown).join(' | ')} |`);
  out.push(`|${t.align.map((a) => (a === 'right' ? '---:' : ':---')).join('|')}|`);
  for (const row of t.rows) {
    const cells = row.group ? [`**${cellText(row.cells[0])}**`, ...t.head.slice(1).map(() => '')] : t.head.map((_, i) => cellText(row.cells[i]));
    out.push(`| ${cells.join(' | ')} |`);
  }
  for (const note of t.notes) out.push('', inlines(note));
  return out.join('\n');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      // An anchor named as in paper.html, so the contents' links (and links between the two) resolve.
      return `${b.level === 2 || b.level === 3 ? `<a id="${b.id}"></a>\n\n` : ''}${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return inlines(b.inlines);
    case 'list':
      return b.items.map((item) => `- ${inlines(item)}`).join('\n');
    case 'callout':
      return `> ${inlines(b.inlines)}`;
    case 'table':
      return table(b.table);
    case 'figure': {
      const f = b.figure;
      return [
        `![${escapeMarkdown(f.alt)}](figures/${f.name}.svg)`,
        '',
        `*${escapeMarkdown(f.label)}. ${escapeMarkdown(f.caption)}* Vega-Lite specification: \`figures/${f.name}.vl.json\`.`,
      ].join('\n');
    }
  }
}

/** The contents: every section and subsection heading, linked to its anchor, as paper.html has them. */
function contents(blocks: readonly Block[]): string {
  const items = blocks.flatMap((b) => (b.kind === 'heading' && (b.level === 2 || b.level === 3) ? [`${b.level === 3 ? '  ' : ''}- [${escapeMarkdown(b.text)}](#${b.id})`] : []));
  return ['## Contents', '', ...items].join('\n');
}

export function toMarkdown(blocks: readonly Block[]): string {
  // The contents follow the title block, before the first section, as in paper.html.
  const first = blocks.findIndex((b) => b.kind === 'heading' && b.level === 2);
  const at = first < 0 ? blocks.length : first;
  return [...blocks.slice(0, at).map(block), ...(first < 0 ? [] : [contents(blocks)]), ...blocks.slice(at).map(block)].join('\n\n') + '\n';
}
