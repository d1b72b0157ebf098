/**
 * Writes the synthetic replica: per area and wave, a council-style CSV drawn from the latent model and
 * written through the council's layout, plus the codebooks that read them. Pure: returns text, in chunks
 * for exports so a million respondents stream through bounded memory; only cli.ts writes files.
 *
 * Streams (random.ts) per area: `persons` (2013 panel latents and nudge groups, replayed for 2014),
 * `answers/<wave>`, `recruits/2014`, `mess/<wave>`. The same seed gives the same bytes.
 */
import { type Area } from '../../lib/survey/vocabulary.js';
import { AREA_SLUGS, AREAS } from './study.js';
import { DESIGN } from './design.js';
import { codebookFileName, type LabelTarget } from '../../lib/survey/codebook.js';
import { codebookOf, layoutFor, type Layout, type LayoutColumn } from './layouts.js';
import { agePerson, answer, compileArea, drawPerson, type Answer, type CalibrationFile, type CompiledArea } from './model.js';
import { MESS, WAVE_2014 } from './parameters.js';
import { stream, type Stream } from './random.js';

export const WAVES = [2013, 2014] as const;

export interface SynthOptions {
  seed: number;
  /** Respondents in wave 2013 across all areas, split in the paper's proportions; default: the paper's counts. */
  respondents?: number;
  waves?: readonly number[];
  /** Tuned model values; default the shipped calibration.json (calibrate passes its trial values here). */
  calibration?: CalibrationFile;
}

export interface SynthFile {
  path: string;
  content: string;
}

/** Wave-2013 respondents per area: the paper's counts, or `total` split in their proportions. */
export function respondentsPerArea(total?: number): Record<Area, number> {
  const paper = Object.fromEntries(DESIGN.map((d) => [d.area, d.respondents])) as Record<Area, number>;
  if (total === undefined) return paper;
  const sum = DESIGN.reduce((s, d) => s + d.respondents, 0);
  const out = {} as Record<Area, number>;
  let given = 0;
  AREAS.forEach((a, i) => {
    out[a] = i === AREAS.length - 1 ? total - given : Math.round((total * paper[a]!) / sum);
    given += out[a]!;
  });
  return out;
}

export function exportPath(area: Area, wave: number): string {
  return `raw/${wave}/${AREA_SLUGS[area]}.csv`;
}

/** Codebooks: one per area (of `areas`, default every one), plus one per wave whose layout differs. */
export function codebookFiles(waves: readonly number[] = WAVES, areas: readonly Area[] = AREAS): SynthFile[] {
  const files: SynthFile[] = [];
  for (const area of areas) {
    for (const wave of waves) {
      const layout = layoutFor(area, wave);
      if (wave !== waves[0] && layout.wave === undefined) continue;
      const book = { $schema: '../../schemas/codebook.schema.json', ...codebookOf(layout) };
      files.push({ path: `raw/codebooks/${codebookFileName(AREA_SLUGS[area]!, layout.wave)}`, content: JSON.stringify(book, null, 2) + '\n' });
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

const CHUNK_CHARS = 1 << 16;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

interface ColumnWriter {
  slot: number;
  encode(value: Answer, mess: Stream): string;
}

function columnWriter(model: CompiledArea, layout: Layout, col: LayoutColumn): ColumnWriter {
  if (col.variable === 'respondent_id') return { slot: -1, encode: () => '' };
  const slot = model.slots.findIndex((s) => s.variable === col.variable);
  if (slot === -1) throw new Error(`layout column "${col.header}" maps to ${col.variable}, which the ${layout.area} model does not produce`);
  const byTarget = new Map<LabelTarget, string[]>();
  for (const [label, target] of Object.entries(col.labels ?? {})) byTarget.set(target, [...(byTarget.get(target) ?? []), label]);
  const dkLabel = byTarget.get('dont_know')?.[0];
  const dkWeights = layout.dontKnowWritten.reduce((s, [, w]) => s + w, 0);
  const sloppy = (label: string, mess: Stream): string => {
    if (layout.sloppyRate === 0 || !/[a-z]/i.test(label) || mess.uniform() >= layout.sloppyRate) return label;
    const variants = [` ${label}`, `${label} `, `  ${label}`, label.toUpperCase(), label.toLowerCase(), ` ${label.toUpperCase()} `];
    return variants[Math.floor(mess.uniform() * variants.length)]!;
  };
  return {
    slot,
    encode(value, mess) {
      if (value === null) return '';
      if (value === 'dont_know') {
        if (dkLabel !== undefined) return dkLabel;
        let u = mess.uniform() * dkWeights;
        for (const [spelling, w] of layout.dontKnowWritten) {
          if ((u -= w) < 0) return sloppy(spelling, mess);
        }
        return layout.dontKnowWritten[0]![0];
      }
      const labels = byTarget.get(value);
      if (!labels) {
        if (col.numeric && typeof value === 'number') return String(value);
        throw new Error(`no label for ${JSON.stringify(value)} in column "${col.header}" of ${layout.area}`);
      }
      const label = col.varyLabels && labels.length > 1 ? labels[Math.floor(mess.uniform() * labels.length)]! : labels[0]!;
      return sloppy(label, mess);
    },
  };
}

/** One area's export for one wave, as text chunks (header first; lines end with the council's line ending). */
export function* exportChunks(area: Area, wave: number, options: SynthOptions): Generator<string> {
  const model = compileArea(area, options.calibration);
  const layout = layoutFor(area, wave);
  const writers = layout.columns.map((c) => columnWriter(model, layout, c));
  const n2013 = respondentsPerArea(options.respondents)[area]!;
  const seed = options.seed;
  const persons = stream(seed, `${area}/persons`);
  const answers = stream(seed, `${area}/answers/${wave}`);
  const mess = stream(seed, `${area}/mess/${wave}`);
  const eol = layout.lineEnding;
  const id = (n: number) => layout.idPrefix + String(n).padStart(layout.idDigits, '0');

  const here = <T extends { wave: number; area: Area }>(list: T[]) => list.filter((m) => m.wave === wave && m.area === area);
  const injected = new Map<number, { variable: string; value: string }[]>();
  for (const m of [...here(MESS.outOfRange), ...here(MESS.unknownLabel)]) injected.set(m.row, [...(injected.get(m.row) ?? []), m]);
  const idCopies = new Map(here(MESS.duplicateId).map((d) => [d.row, d.copiesRow]));
  const idsSeen = new Map<number, string>();

  let chunk = (here(MESS.bom).length ? '\uFEFF' : '') + layout.columns.map((c) => csvField(c.header)).join(',') + eol;
  let row = 0;
  const line = (respondent: number, values: Answer[]): string => {
    row++;
    let rid = id(respondent);
    const copied = idCopies.get(row);
    if (copied !== undefined && idsSeen.has(copied)) rid = idsSeen.get(copied)!;
    if (idCopies.size) idsSeen.set(row, rid);
    const cells = writers.map((w) => (w.slot === -1 ? rid : w.encode(values[w.slot]!, mess)));
    for (const m of injected.get(row) ?? []) {
      const k = layout.columns.findIndex((c) => c.variable === m.variable);
      if (k !== -1) cells[k] = m.value;
    }
    return cells.map(csvField).join(',') + eol;
  };

  if (wave === 2013) {
    for (let n = 1; n <= n2013; n++) {
      const person = drawPerson(model, persons);
      chunk += line(n, answer(model, person, wave, answers));
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
  } else {
    // The 2013 panel is replayed from its own stream, so 2014 needs no memory of it.
    const recruits = stream(seed, `${area}/recruits/${wave}`);
    let gone = 0;
    for (let n = 1; n <= n2013; n++) {
      const person = drawPerson(model, persons);
      if (answers.uniform() < WAVE_2014.attrition) {
        gone++;
        continue;
      }
      chunk += line(n, answer(model, agePerson(model, person, answers), wave, answers));
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    for (let m = 1; m <= gone; m++) {
      chunk += line(n2013 + m, answer(model, drawPerson(model, recruits), wave, answers));
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}

/** Every file of the replica, in memory: exports for each wave, then codebooks. */
export function generate(options: SynthOptions): SynthFile[] {
  const waves = options.waves ?? WAVES;
  const files: SynthFile[] = [];
  for (const wave of waves) {
    for (const area of AREAS) files.push({ path: exportPath(area, wave), content: [...exportChunks(area, wave, options)].join('') });
  }
  return [...files, ...codebookFiles(waves)];
}
