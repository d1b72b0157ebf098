/**
 * Where exports and codebooks live and how they pair up: `raw/<wave>/<slug>.csv` is read with
 * `raw/codebooks/<slug>.<wave>.json` when that exists, otherwise with `raw/codebooks/<slug>.json`.
 */
import { DataError } from '../../runner/step.js';
import type { CompiledCodebook } from './codebook.js';
import { AREA_SLUGS, areaFromSlug, type Area } from './vocabulary.js';

export interface ExportRef {
  file: string;
  wave: number;
  area: Area;
}

/** Reads wave and area off an export's path; anything else is a DataError naming the file. */
export function exportRef(path: string): ExportRef {
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  const waveDir = parts.at(-2) ?? '';
  if (!/^\d{4}$/.test(waveDir)) {
    throw new DataError('an export must sit in a folder named for its wave: raw/<wave>/<area-slug>.csv', { file: path, value: waveDir });
  }
  const slug = name.replace(/\.csv$/i, '');
  const area = areaFromSlug(slug);
  if (!area || !/\.csv$/i.test(name)) {
    throw new DataError(`export file name must be one of ${Object.values(AREA_SLUGS).map((s) => `${s}.csv`).join(', ')}`, {
      file: path,
      value: name,
    });
  }
  return { file: path, wave: Number(waveDir), area };
}

/** Indexes codebooks by area (default) and by area+wave (override); two codebooks for one slot is an error. */
export function codebookIndex(books: CompiledCodebook[]): (ref: ExportRef) => CompiledCodebook {
  const slots = new Map<string, CompiledCodebook>();
  for (const book of books) {
    const key = `${book.area}|${book.wave ?? '*'}`;
    const other = slots.get(key);
    if (other) throw new DataError(`two codebooks for the same area and wave (also ${other.file})`, { file: book.file, value: book.area });
    slots.set(key, book);
  }
  return (ref) => {
    const book = slots.get(`${ref.area}|${ref.wave}`) ?? slots.get(`${ref.area}|*`);
    if (!book) {
      throw new DataError(`no codebook for area "${ref.area}": write raw/codebooks/${AREA_SLUGS[ref.area]}.json`, { file: ref.file, value: ref.area });
    }
    return book;
  };
}
