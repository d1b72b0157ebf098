/**
 * Prints the document as one self-contained HTML page: inline CSS, inline SVG figures, a table of
 * contents, linked cross-references, no fonts or images fetched (a Content-Security-Policy forbids
 * every fetch, so a stray reference fails closed). The one script opens the lineage panel of a
 * number; it is a constant allowed by its hash, and data reach it only as a JSON data block. Every
 * string from data goes through escapeHtml.
 */
import { createHash } from 'node:crypto';
import { jsonForScript, PANEL_SCRIPT, type CellLineage } from './cell-panel.js';
import { crossRefTargets, linkReferences } from './cross-refs.js';
import type { Block, Cell, Figure, Inline, LinePart, Table } from './document.js';
import { escapeHtml } from './escape.js';

/** Tables with more columns than this are printed on a landscape page. */
const WIDE_COLUMNS = 7;

const CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4da; --pos: #0b3d91; --neg-bg: #e4e6e9; }
* { box-sizing: border-box; }
body { margin: 0; background: #fafafa; color: var(--ink); font: 16px/1.55 Georgia, 'Times New Roman', serif; }
main { max-width: 76rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; background: #fff; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.4rem; margin: 2.2rem 0 0.6rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 0.3rem; }
p, li { max-width: 46rem; }
code { font: 0.85em/1.4 ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; background: #f1f3f4; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
.callout { border-left: 4px solid #c77700; background: #fff7e6; padding: 0.6rem 1rem; margin: 1rem 0; }
figure.table { margin: 1.4rem 0; overflow-x: auto; }
figure.table figcaption, figure.chart figcaption { font-size: 0.95rem; margin: 0 0 0.4rem; }
figure.chart figcaption { margin: 0.4rem 0 0; }
table { border-collapse: collapse; font: 0.8rem/1.35 system-ui, 'DejaVu Sans', Arial, sans-serif; min-width: 50%; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.25rem 0.45rem; vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.group td { font-weight: 700; background: #f4f5f7; }
td.positive, span.positive { font-weight: 700; color: var(--pos); }
td.negative, span.negative { background: var(--neg-bg); }
table.hashes td { word-break: break-all; min-width: 6rem; }
.notes { font-size: 0.8rem; color: var(--muted); margin: 0.4rem 0 0; }
.notes p { margin: 0.15rem 0; }
figure.chart { margin: 1.6rem 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
.spec { font-size: 0.8rem; color: var(--muted); }
nav.toc { border: 1px solid var(--rule); background: #f8f9fa; padding: 0.6rem 1.2rem; margin: 1rem 0 1.6rem; max-width: 46rem; }
nav.toc h2 { font-size: 1.1rem; margin: 0.2rem 0 0.4rem; border: 0; }
nav.toc ol { margin: 0; padding-left: 1.1rem; list-style: none; }
nav.toc ol ol { padding-left: 1.2rem; }
nav.toc li { margin: 0.1rem 0; }
a.counted { color: inherit; text-decoration: underline dotted; }
[data-cell] { cursor: pointer; border-bottom: 1px dotted var(--muted); }
[data-cell]:hover, [data-cell]:focus { background: #fff3c4; outline: none; }
#cell-panel { position: fixed; right: 1rem; bottom: 1rem; width: min(34rem, calc(100vw - 2rem)); max-height: 70vh; overflow: auto; background: #fff; border: 1px solid var(--ink); box-shadow: 0 4px 18px rgba(0,0,0,0.2); padding: 0.6rem 1rem; font: 0.8rem/1.4 system-ui, 'DejaVu Sans', Arial, sans-serif; z-index: 10; }
#cell-panel[hidden] { display: none; }
#cell-panel h2 { font-size: 0.95rem; margin: 0 0 0.4rem; border: 0; }
#cell-panel button { float: right; }
#cell-panel dt { font-weight: 600; }
#cell-panel dd { margin: 0 0 0.3rem; white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, monospace; }
@page { size: A4; margin: 14mm 12mm; }
@page wide { size: A4 landscape; margin: 12mm 12mm; }
@media print {
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  figure.table, figure.chart { overflow: visible; }
  figure.table.wide { page: wide; }
  table { font-size: 7pt; width: 100%; min-width: 0; }
  th, td { padding: 0.12rem 0.25rem; }
  td.num { white-space: normal; }
  table.hashes td { min-width: 0; }
  a { color: inherit; text-decoration: none; }
  [data-cell] { border: 0; }
  #cell-panel { display: none; }
  h2, h3 { break-after: avoid; }
  figure.chart, tr { break-inside: avoid; }
}
`;

/**
 * The document's numbered tables, figures and sections, for linking references in the text: set by
 * toHtml for the one document it prints (printing is synchronous, so no other document sees them).
 */
let targets: ReadonlyMap<string, string> = new Map();

function linked(text: string): string {
  return linkReferences(text, targets)
    .map((p) => ('href' in p ? `<a class="xref" href="${escapeHtml(p.href)}">${escapeHtml(p.text)}</a>` : escapeHtml(p.text)))
    .join('');
}

function inline(part: Inline): string {
  if (typeof part === 'string') return linked(part);
  if ('code' in part) return `<code>${escapeHtml(part.code)}</code>`;
  if ('strong' in part) return `<strong>${escapeHtml(part.strong)}</strong>`;
  if ('em' in part) return `<em>${escapeHtml(part.em)}</em>`;
  // Linked only when the table is in the document (a table with no rows is left out).
  if ('counted' in part) return [...targets.values()].includes(part.from) ? `<a class="counted" href="#${escapeHtml(part.from)}">${escapeHtml(part.counted)}</a>` : escapeHtml(part.counted);
  if ('ref' in part) return `<span data-cell="${escapeHtml(part.ref)}" tabindex="0">${escapeHtml(part.text)}</span>`;
  // Links stay inside the document or name a file beside it; nothing here is fetched.
  return `<a href="${escapeHtml(part.href)}">${escapeHtml(part.link)}</a>`;
}

const inlines = (parts: readonly Inline[]) => parts.map(inline).join('');

function td(c: Cell | undefined, align: 'left' | 'right' | undefined): string {
  const classes = [align === 'right' ? 'num' : '', c?.tone ?? ''].filter(Boolean);
  const attr = classes.length ? ` class="${classes.join(' ')}"` : '';
  const lines = (c?.lines ?? []).map((line, i) => {
    const t = c?.lineTones?.[i];
    const parts = c?.parts?.[i];
    const html = parts ? parts.map(part).join('') : escapeHtml(line);
    return t ? `<span class="${t}">${html}</span>` : html;
  });
  return `<td${attr}>${lines.join('<br>')}</td>`;
}

/** A number read from a CSV cell carries the cell's address, and opens its lineage panel. */
const part = (p: LinePart) => (typeof p === 'string' ? escapeHtml(p) : `<span data-cell="${escapeHtml(p.ref)}" tabindex="0">${escapeHtml(p.text)}</span>`);

function table(t: Table): string {
  const head = t.head.map((h, i) => `<th scope="col"${t.align[i] === 'right' ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = t.rows
    .map((row) =>
      row.group
        ? `<tr class="group"><td colspan="${t.head.length}">${escapeHtml(row.cells[0]?.lines.join(' ') ?? '')}</td></tr>`
        : `<tr>${t.head.map((_, i) => td(row.cells[i], t.align[i])).join('')}</tr>`,
    )
    .join('\n');
  const notes = t.notes.length ? `\n<div class="notes">${t.notes.map((n) => `<p>${inlines(n)}</p>`).join('')}</div>` : '';
  const wide = t.head.length > WIDE_COLUMNS ? ' wide' : '';
  return `<figure class="table${wide}" id="${escapeHtml(t.id)}">
<figcaption><strong>${escapeHtml(t.label)}.</strong> ${escapeHtml(t.caption)}</figcaption>
<table${t.breakAnywhere ? ' class="hashes"' : ''}>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>${notes}
</figure>`;
}

/**
 * Vega numbers its clip paths and gradients from 1 in every SVG it writes; inlined side by side they
 * would collide, so each figure's ids get its own prefix.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

function figure(f: Figure): string {
  const svg = scopeSvgIds(f.svg, f.id).replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(f.alt)}" `);
  return `<figure class="chart" id="${escapeHtml(f.id)}">
${svg}
<figcaption><strong>${escapeHtml(f.label)}.</strong> ${escapeHtml(f.caption)} <span class="spec">Specification: <code>figures/${escapeHtml(f.name)}.vl.json</code>.</span></figcaption>
</figure>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level} id="${escapeHtml(b.id)}">${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${inlines(b.inlines)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((i) => `<li>${inlines(i)}</li>`).join('\n')}\n</ul>`;
    case 'callout':
      return `<div class="callout" role="note"><p>${inlines(b.inlines)}</p></div>`;
    case 'table':
      return table(b.table);
    case 'figure':
      return figure(b.figure);
  }
}

/** The table of contents: every section and subsection heading, linked, as Quarto's toc: true gives. */
function toc(blocks: readonly Block[]): string {
  const items: string[] = [];
  let open = false;
  for (const b of blocks) {
    if (b.kind !== 'heading' || (b.level !== 2 && b.level !== 3)) continue;
    const link = `<a href="#${escapeHtml(b.id)}">${escapeHtml(b.text)}</a>`;
    if (b.level === 2) {
      if (open) items.push('</ol></li>');
      items.push(`<li>${link}<ol>`);
      open = true;
    } else items.push(open ? `<li>${link}</li>` : `<li>${link}</li>`);
  }
  if (open) items.push('</ol></li>');
  // A section without subsections closes at once: no empty list.
  const list = items.join('\n').replace(/<ol>\n<\/ol><\/li>/g, '</li>');
  return `<nav class="toc" id="toc" aria-label="Contents">\n<h2>Contents</h2>\n<ol>\n${list}\n</ol>\n</nav>`;
}

const PANEL = `<aside id="cell-panel" hidden tabindex="-1" aria-label="Where this number comes from"><button type="button" aria-label="Close">×</button><h2>Where this number comes from</h2><dl></dl></aside>`;

export function toHtml(title: string, blocks: readonly Block[], lineage?: CellLineage): string {
  targets = crossRefTargets(blocks);
  // The contents follow the title block (title, notices, summary), before the first section.
  const firstSection = blocks.findIndex((b) => b.kind === 'heading' && b.level === 2);
  const at = firstSection < 0 ? blocks.length : firstSection;
  const body = [...blocks.slice(0, at).map(block), toc(blocks), ...blocks.slice(at).map(block)];
  targets = new Map();
  const scriptHash = createHash('sha256').update(PANEL_SCRIPT).digest('base64');
  const script = lineage ? `'sha256-${scriptHash}'` : `'none'`;
  const panel = lineage
    ? `\n${PANEL}\n<script type="application/json" id="cell-lineage">${jsonForScript(lineage)}</script>\n<script>${PANEL_SCRIPT}</script>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${script}">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>${panel}
</body>
</html>
`;
}
