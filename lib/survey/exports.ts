/**
 * Where exports and codebooks live and how they pair up: `raw/<wave>/<slug>.<ext>` is read with
 * the latest `raw/codebooks/<slug>.<wave>.json` at or before its wave, otherwise with `raw/codebooks/<slug>.json`.
 * Names are matched whatever their case (`Barnet.CSV` is Barnet's export), as spreadsheet programs and
 * shared drives spell them.
 */
import { DataError } from '../../contract/step.js';
import type { CompiledCodebook } from './codebook.js';
import { areaFromSlug, slugOf, type Study } from './study.js';
import type { Area } from './vocabulary.js';

export interface ExportRef {
  file: string;
  wave: number;
  area: Area;
}

/** The formats an export may come in: CSV, SPSS (.sav, compressed .zsav) and Excel workbooks. */
export const EXPORT_FORMATS = ['csv', 'sav', 'zsav', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An export's format, from its extension whatever its case (undefined for another extension). */
export function exportFormat(path: string): ExportFormat | undefined {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return (EXPORT_FORMATS as readonly string[]).includes(ext) ? (ext as ExportFormat) : undefined;
}

/** The export files of a study, as a wildcard pattern: one per area and wave, in any supported format. */
export const EXPORTS_PATTERN = `raw/{wave}/{area}.{${EXPORT_FORMATS.join(',')}}`;

/** The wave an export belongs to, read off its folder: `raw/<wave>/<slug>.csv`. */
export function exportWave(path: string): number {
  const waveDir = path.split('/').at(-2) ?? '';
  if (!/^\d{4}$/.test(waveDir)) {
    throw new DataError('an export must sit in a folder named for its wave: raw/<wave>/<area-slug>.csv', { file: path, value: waveDir });
  }
  return Number(waveDir);
}

/** Reads wave and area off an export's path, the area by its slug in the study; anything else is a DataError naming the file. */
export function exportRef(path: string, study: Study): ExportRef {
  const wave = exportWave(path);
  const name = path.split('/').at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  const area = dot > 0 ? areaFromSlug(study, name.slice(0, dot).toLowerCase()) : undefined;
  if (!area || !exportFormat(name)) {
    throw new DataError(
      `export file name must be an area's slug, ${study.design.map((d) => d.slug).join(', ')}, with the extension .${EXPORT_FORMATS.join(', .')}: name it for its area, or add the area to ${study.file}`,
      { file: path, value: name },
    );
  }
  return { file: path, wave, area: area as Area };
}

/**
 * Picks each export's codebook: the version with the latest wave at or before the export's, else the
 * area's first one (`<slug>.json`). The pipeline hands each branch only that version; the rule is
 * applied here too, so the step gives the same answer whatever it is handed.
 */
export function codebookIndex(books: CompiledCodebook[], study: Study): (ref: ExportRef) => CompiledCodebook {
  const slots = new Map<string, CompiledCodebook>();
  for (const book of books) {
    const key = `${book.area}|${book.wave ?? '*'}`;
    const other = slots.get(key);
    if (other) throw new DataError(`two codebooks for the same area and wave (also ${other.file})`, { file: book.file, value: book.area });
    slots.set(key, book);
  }
  return (ref) => {
    const versions = books.filter((b) => b.area === ref.area && b.wave !== undefined && b.wave <= ref.wave);
    const book = versions.sort((a, b) => b.wave! - a.wave!)[0] ?? slots.get(`${ref.area}|*`);
    if (!book) {
      throw new DataError(`no codebook for area "${ref.area}" in wave ${ref.wave}: write raw/codebooks/${slugOf(study, ref.area)}.json`, { file: ref.file, value: ref.area });
    }
    return book;
  };
}
