/**
 * The reference list: BibTeX entries (raw/references.bib) formatted by citation-js in one citation
 * style (Harvard author-date), so no reference is typed by hand in the code. The article's own entry must carry the
 * DOI that raw/published-tables.json gives, so the two records of the article cannot drift apart.
 */
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-csl';
import { DataError, type Artifact } from '../../contract/step.js';
import type { Inline } from '../../lib/report/document.js';

/** citation-js's Harvard author-date style: APA's style takes citeproc seconds to compile on every render, this one a fraction. */
export const CITATION_STYLE = { template: 'harvard1', name: 'Harvard author-date' };

interface CslItem {
  id: string;
  DOI?: string;
}

const ENTITIES: Record<string, string> = { '&#38;': '&', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescape = (s: string) => s.replace(/&#38;|&amp;|&lt;|&gt;|&quot;|&#39;/g, (e) => ENTITIES[e]!);

/** citation-js's HTML entry → inlines: its <i> spans become emphasis, everything else text. */
function entryInlines(html: string): Inline[] {
  const parts: Inline[] = [];
  for (const [, plain, italic] of html.matchAll(/([^<]+)|<i>([^<]*)<\/i>|<[^>]+>/g)) {
    if (plain !== undefined) parts.push(unescape(plain));
    else if (italic !== undefined) parts.push({ em: unescape(italic) });
  }
  return parts;
}

/** Each entry of the bibliography, sorted as the style sorts them, with the ids of their entries. */
export function formatReferences(bib: Artifact, articleDoi: string): Array<{ id: string; inlines: Inline[] }> {
  let cite: Cite;
  try {
    cite = new Cite(bib.text());
  } catch (e) {
    throw new DataError(`not readable as BibTeX: ${(e as Error).message}`, { file: bib.path });
  }
  const items = cite.data as CslItem[];
  if (!items.length) throw new DataError('holds no BibTeX entry', { file: bib.path });
  if (!items.some((i) => (i.DOI ?? '').toLowerCase() === articleDoi.toLowerCase()))
    throw new DataError(`no entry has the article's DOI ${articleDoi} (from raw/published-tables.json); add the article's entry or correct its doi field`, { file: bib.path, value: items.map((i) => i.DOI ?? i.id) });
  const html = cite.format('bibliography', { format: 'html', template: CITATION_STYLE.template, lang: 'en-US' }) as string;
  return [...html.matchAll(/<div data-csl-entry-id="([^"]*)" class="csl-entry">([\s\S]*?)<\/div>/g)].map(([, id, body]) => ({ id: id!, inlines: entryInlines(body!.trim()) }));
}
