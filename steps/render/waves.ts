/**
 * The panel across waves in the paper: who stayed from one wave to the next (panel.csv), how the
 * co-production measures of those who stayed moved (paired-changes.csv), how many correlations of Tables
 * 3 and 4 changed (correlation-changes.csv) and whether those who left differed at baseline
 * (attrition.csv) — all compare-waves outputs, read here and written in words computed from them.
 *
 * The inputs are optional: without them (or with one wave, when they hold headers only) the section
 * says there is no change to follow, or is left out.
 */
import { DataError, type Artifact, type StepInputs } from '../../contract/step.js';
import { gatherCsv, type Gathered } from '../../lib/report/gather.js';
import { familyCounts, type FamilyCounts } from '../../lib/stats/multiple-testing.js';
import { ATTRITION, CORRELATION_CHANGES, PAIRED, PANEL } from '../../lib/table/panel-tables.js';
import { numberCell, readCsv, requiredNumber, type CsvTable } from '../../lib/table/csv-read.js';
import { address, bullets, cell, cellNumber, countedIn, heading, inlineList, num, paragraph, partsCell, prose, type Block, type Cell, type Inline, type Table } from '../../lib/report/document.js';
import { cellName, type Labels } from '../../lib/report/labels.js';
import { count, fixed, list, numberWord } from '../../lib/report/words.js';

export interface PanelRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  from: number;
  to: number;
  area: string;
  /** Empty (null) when one of the two waves lacks the area: it is not compared. */
  retained: number | null;
  lost: number | null;
  recruited: number | null;
  retention: number | null;
}

export interface PairedRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  from: number;
  to: number;
  area: string;
  theme: string;
  outcome: string;
  n: number;
  meanFrom: number | null;
  meanTo: number | null;
  change: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  p: number | null;
  comparable: boolean;
  note: string;
}

export interface CorrelationChangeRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  from: number;
  to: number;
  table: string;
  area: string;
  theme: string;
  predictor: string;
  item: string;
  /** Null for a question the earlier wave did not ask. */
  rFrom: number | null;
  rTo: number;
  z: number | null;
  p: number | null;
  /** The bootstrap that keeps the waves' overlap: p of the change (null when not bootstrapped). */
  pBoot: number | null;
  comparable: boolean;
  note: string;
}

export interface AttritionRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  from: number;
  to: number;
  area: string;
  theme: string;
  variable: string;
  nRetained: number;
  nLost: number;
  meanRetained: number | null;
  meanLost: number | null;
  p: number | null;
  /** Standardised mean difference, left - stayed; flagged when its size exceeds compare-waves' threshold. */
  smd: number | null;
  flagged: boolean;
}

export interface WaveChanges {
  panel: PanelRow[];
  paired: PairedRow[];
  correlations: CorrelationChangeRow[];
  attrition: AttritionRow[];
  /** Each table with every wave pair's rows, for tables/. */
  files: { panel: Artifact; pairedChanges: Artifact; correlationChanges: Artifact; attrition: Artifact };
  /** The artifacts as given (one per wave when compare-waves runs per wave), for the provenance appendix. */
  parts: Artifact[];
  /** Each table's per-wave parts, for the numbers' lineage. */
  gathered?: Record<'panel' | 'pairedChanges' | 'correlationChanges' | 'attrition', Gathered>;
}

/** The four CSVs' names under tables/, by render input. */
export const WAVE_TABLES = {
  panel: 'tables/panel.csv',
  pairedChanges: 'tables/paired-changes.csv',
  correlationChanges: 'tables/correlation-changes.csv',
  attrition: 'tables/attrition.csv',
} as const;
/** Their contracts (schemas/compare-waves.tables.json), which the published copies are checked against too. */
export const WAVE_CONTRACTS = { panel: PANEL, pairedChanges: PAIRED, correlationChanges: CORRELATION_CHANGES, attrition: ATTRITION } as const;

function flag(t: CsvTable, row: CsvTable['rows'][number], column: string): boolean {
  const v = row.cells[column];
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new DataError('expected true or false', { file: t.file, line: row.line, column, value: v });
}

/**
 * The four compare-waves tables, or undefined when render was not given them. Given one, all four
 * must be given: a partial set would describe the panel by halves.
 */
export function readWaveChanges(inputs: StepInputs): WaveChanges | undefined {
  const names = Object.keys(WAVE_TABLES) as (keyof typeof WAVE_TABLES)[];
  const given = names.filter((n) => (inputs[n] ?? []).length > 0);
  if (given.length === 0) return undefined;
  // One artifact per wave (each compares that wave with the one before), put together in wave order.
  const missing = names.filter((n) => (inputs[n] ?? []).length === 0);
  if (missing.length) throw new DataError(`render needs all of ${names.join(', ')} when any is given; "${missing[0]}" is missing`, { value: missing });
  const gathered = Object.fromEntries(names.map((n) => [n, gatherCsv(inputs, n)])) as Record<(typeof names)[number], Gathered>;
  const files = { panel: gathered.panel.merged, pairedChanges: gathered.pairedChanges.merged, correlationChanges: gathered.correlationChanges.merged, attrition: gathered.attrition.merged };
  const parts = names.flatMap((n) => gathered[n].parts);
  const num = requiredNumber;

  const pt = readCsv(files.panel, PANEL);
  const panel = pt.rows.map((r, i) => ({
    at: i + 1,
    from: num(pt, r, 'wave_from'), to: num(pt, r, 'wave_to'), area: r.cells.area!,
    retained: numberCell(pt, r, 'retained'), lost: numberCell(pt, r, 'lost'), recruited: numberCell(pt, r, 'recruited'), retention: numberCell(pt, r, 'retention_pct'),
  }));
  const ct = readCsv(files.pairedChanges, PAIRED);
  const paired = ct.rows.map((r, i) => ({
    at: i + 1,
    from: num(ct, r, 'wave_from'), to: num(ct, r, 'wave_to'), area: r.cells.area!, theme: r.cells.theme!, outcome: r.cells.outcome!, n: num(ct, r, 'n'),
    meanFrom: numberCell(ct, r, 'mean_from'), meanTo: numberCell(ct, r, 'mean_to'), change: numberCell(ct, r, 'mean_change'),
    ciLow: numberCell(ct, r, 'ci_low'), ciHigh: numberCell(ct, r, 'ci_high'), p: numberCell(ct, r, 'p'),
    comparable: flag(ct, r, 'comparable'), note: r.cells.note ?? '',
  }));
  const rt = readCsv(files.correlationChanges, CORRELATION_CHANGES);
  const correlations = rt.rows.map((r, i) => ({
    at: i + 1,
    from: num(rt, r, 'wave_from'), to: num(rt, r, 'wave_to'), table: r.cells.table!, area: r.cells.area!, theme: r.cells.theme!,
    predictor: r.cells.predictor!, item: r.cells.item ?? '', rFrom: numberCell(rt, r, 'r_from'), rTo: num(rt, r, 'r_to'),
    z: numberCell(rt, r, 'z'), p: numberCell(rt, r, 'p'), pBoot: numberCell(rt, r, 'p_boot'), comparable: flag(rt, r, 'comparable'), note: r.cells.note ?? '',
  }));
  const at = readCsv(files.attrition, ATTRITION);
  const attrition = at.rows.map((r, i) => ({
    at: i + 1,
    from: num(at, r, 'wave_from'), to: num(at, r, 'wave_to'), area: r.cells.area!, theme: r.cells.theme ?? '', variable: r.cells.variable!,
    nRetained: num(at, r, 'n_retained'), nLost: num(at, r, 'n_lost'), meanRetained: numberCell(at, r, 'mean_retained'), meanLost: numberCell(at, r, 'mean_lost'), p: numberCell(at, r, 'p'),
    smd: numberCell(at, r, 'smd'), flagged: r.cells.smd_flag === 'yes',
  }));
  return { panel, paired, correlations, attrition, files, parts, gathered };
}

const ALPHA = 0.05;
/** How many tests of a family would come out significant by chance alone, as a sentence prints it. */
const byChance = (f: FamilyCounts) => (f.expectedByChance < 10 ? fixed(f.expectedByChance, 1) : fixed(f.expectedByChance, 0));
const pText = (p: number) => (p < 0.001 ? '<0.001' : fixed(p, 3));
/** A number as printed, with its CSV cell's address. */
const numCell = (text: string, ref: string | undefined) => partsCell([[num(text, ref)]]);
/** A p-value with its address; "<0.001" is a bound, not the value, so it carries none. */
const pCell = (p: number | null, ref: string | undefined) => (p === null ? cell('-') : p < 0.001 ? cell(pText(p)) : numCell(pText(p), ref));
/** "p = 0.012", "p < 0.001": a p-value inside a sentence, its number linked to its cell (a bound is not the value, so it carries none). */
const pIs = (p: number, ref?: string): Inline[] => (p < 0.001 ? ['p < 0.001'] : ['p = ', cellNumber(fixed(p, 3), ref)]);
const signed = (x: number, d: number) => (Math.round(x * 10 ** d) > 0 ? `+${fixed(x, d)}` : fixed(x, d));

/** What a measure is called in a sentence, and how its values are printed. */
const MEASURES: Record<string, { phrase: string; label: string; digits: number }> = {
  individual: { phrase: 'individual co-production index', label: 'Individual index (0-100)', digits: 1 },
  collective: { phrase: 'share taking part in groups', label: 'In groups (%)', digits: 1 },
  willing: { phrase: 'share willing to give time', label: 'Willing to give time (%)', digits: 1 },
  gender: { phrase: 'share of men', label: 'Men (share)', digits: 2 },
  age: { phrase: 'age band (1 youngest, 6 oldest)', label: 'Age band (1-6)', digits: 2 },
  ethnicity: { phrase: 'share from minority ethnic groups', label: 'Minority ethnic (share)', digits: 2 },
};
const measure = (v: string) => MEASURES[v] ?? { phrase: v, label: v, digits: 2 };
const pairLabel = (r: { from: number; to: number }) => `${r.from}-${r.to}`;
const where = (r: { area: string; theme: string }) => (r.theme ? cellName(r.area, r.theme) : r.area);

function retentionBlocks(w: WaveChanges): Block[] {
  const pairs = [...new Map(w.panel.map((r) => [pairLabel(r), r])).values()];
  const sentences: Inline[][] = pairs.map((pair) => {
    const all = w.panel.filter((r) => r.from === pair.from && r.to === pair.to);
    const rows = all.filter((r) => r.retained !== null);
    const base = rows.reduce((s, r) => s + r.retained! + r.lost!, 0);
    const kept = rows.reduce((s, r) => s + r.retained!, 0);
    const joined = rows.reduce((s, r) => s + r.recruited!, 0);
    const absent = all.filter((r) => r.retained === null).map((r) => r.area);
    const rated = rows.filter((r) => r.retention !== null);
    const lo = rated.reduce<PanelRow | undefined>((m, r) => (m === undefined || r.retention! < m.retention! ? r : m), undefined);
    const hi = rated.reduce<PanelRow | undefined>((m, r) => (m === undefined || r.retention! > m.retention! ? r : m), undefined);
    const retention = (r: PanelRow) => cellNumber(fixed(r.retention!, 1), address('panel.csv', r.at, 'retention_pct'));
    const spread = lo && hi && lo !== hi ? prose` By area, retention ran from ${retention(lo)}% in ${lo.area} to ${retention(hi)}% in ${hi.area}.` : [];
    return prose`${`Of the ${base} respondents of wave ${pair.from}, ${kept} (${base ? fixed((100 * kept) / base, 1) : '0'}%) answered again in ${pair.to}, identified by their panel ID; ${base - kept} did not, and ${joined} joined the panels in ${pair.to}.`}${spread}${absent.length ? ` ${list(absent)} ${absent.length === 1 ? 'is' : 'are'} in only one of the two waves (no export in the other) and not compared.` : ''}`;
  });
  const table: Table = {
    id: 'tbl-p1',
    label: 'Table W1',
    caption: 'Panel retention between consecutive waves, by area',
    head: ['Waves', 'Area', 'Retained', 'Lost', 'Recruited', 'Retention (%)'],
    align: ['left', 'left', 'right', 'right', 'right', 'right'],
    rows: w.panel.map((r) => {
      const at = (column: string) => address('panel.csv', r.at, column);
      return {
        cells:
          r.retained === null
            ? [cell(pairLabel(r)), cell(r.area), cell('not in both waves'), cell('-'), cell('-'), cell('-')]
            : [cell(pairLabel(r)), cell(r.area), numCell(String(r.retained), at('retained')), numCell(String(r.lost), at('lost')), numCell(String(r.recruited), at('recruited')), r.retention === null ? cell('-') : numCell(fixed(r.retention, 1), at('retention_pct'))],
      };
    }),
    notes: [['A respondent is counted in a wave when the wave holds a valid record with their panel ID; rows are in ', { code: WAVE_TABLES.panel }, '.']],
  };
  return [...sentences.map((s) => paragraph(...s)), { kind: 'table', table }];
}

function pairedBlocks(w: WaveChanges): Block[] {
  const tested = w.paired.filter((r) => r.comparable && r.p !== null);
  const significant = tested.filter((r) => r.p! < ALPHA);
  const flagged = w.paired.filter((r) => !r.comparable);
  const describe = (r: PairedRow) => {
    const at = (column: string) => address('paired-changes.csv', r.at, column);
    const change = signed(r.change!, 1);
    // The sign stays outside the linked number, which reads as the CSV value.
    return prose`the ${measure(r.outcome).phrase} ${r.change! > 0 ? 'rose' : 'fell'} in ${cellName(r.area, r.theme)} (${pairLabel(r)}: ${change.startsWith('+') ? '+' : ''}${cellNumber(change.replace(/^\+/, ''), at('mean_change'))} points, 95% CI ${cellNumber(fixed(r.ciLow!, 1), at('ci_low'))} to ${cellNumber(fixed(r.ciHigh!, 1), at('ci_high'))}, ${pIs(r.p!, at('p'))})`;
  };
  const words: Inline[] = prose`For the respondents who answered in both waves, each measure's change is tested with a paired t test (Table W2). ${
    significant.length === 0
      ? `None of the ${count(tested.length, 'change')} tested is significant at 5%.`
      : prose`${`${capitalise(numberWord(significant.length))} of the ${count(tested.length, 'change')} tested ${significant.length === 1 ? 'is' : 'are'} significant at 5%: `}${inlineList(significant.map(describe))}.`
  }`;
  if (flagged.length)
    words.push(` ${capitalise(count(flagged.length, 'change'))} ${flagged.length === 1 ? 'is' : 'are'} not interpreted because a question behind the measure changed between the waves (marked in the table).`);
  const table: Table = {
    id: 'tbl-p2',
    label: 'Table W2',
    caption: 'Change in co-production among respondents present in both waves (paired t test, 95% interval)',
    head: ['Waves', 'Area', 'Theme', 'Measure', 'n', 'Before', 'After', 'Change', '95% CI', 'p'],
    align: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows: w.paired.map((r) => {
      const tone: Cell['tone'] = r.comparable && r.p !== null && r.p < ALPHA && r.change !== null ? (r.change > 0 ? 'positive' : 'negative') : undefined;
      const at = (column: string) => address('paired-changes.csv', r.at, column);
      const change: Cell = r.change === null ? { lines: ['-'], ...(tone ? { tone } : {}) } : partsCell([[num(signed(r.change, 2), at('mean_change')), r.comparable ? '' : ' (not comparable)']], tone ? { tone } : {});
      return {
        cells: [
          cell(pairLabel(r)), cell(r.area), cell(r.theme), cell(measure(r.outcome).label), numCell(String(r.n), at('n')),
          r.meanFrom === null ? cell('-') : numCell(fixed(r.meanFrom, 2), at('mean_from')), r.meanTo === null ? cell('-') : numCell(fixed(r.meanTo, 2), at('mean_to')), change,
          r.ciLow === null || r.ciHigh === null ? cell('-') : partsCell([[num(fixed(r.ciLow, 2), at('ci_low')), ' to ', num(fixed(r.ciHigh, 2), at('ci_high'))]]), pCell(r.p, at('p')),
        ],
      };
    }),
    notes: [['Change = after - before, in points of the measure; the interval is from the t distribution with n - 1 degrees of freedom; changes significant at 5% are marked. Every row, with the reason a row is not comparable, is in ', { code: WAVE_TABLES.pairedChanges }, '.']],
  };
  return [paragraph(...words), { kind: 'table', table }];
}

/** The changed questions a `note` cell names (compare-waves writes one clause per question, joined by " | "). */
function questionsNamed(notes: readonly string[]): Inline[][] {
  const named = new Map<string, Inline[]>();
  for (const note of notes)
    for (const part of note.split(' | ')) {
      const m = /^question changed from wave (\d+): (\S+) column (.+?) \(([^)]+)\)\.\s*(.*)$/s.exec(part);
      named.set(part, m ? [{ code: m[3]! }, ` of ${m[2]} (${m[4]}), changed since wave ${m[1]}${m[5] ? `: ${m[5]}` : '.'}`] : [part]);
    }
  return [...named.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, inlines]) => inlines);
}

function correlationBlocks(L: Labels, w: WaveChanges): Block[] {
  const tested = w.correlations.filter((r) => r.comparable && r.p !== null);
  const significant = tested.filter((r) => r.p! < ALPHA);
  const family = familyCounts(tested.map((r) => r.p!), ALPHA);
  const { afterBH } = family;
  const added = w.correlations.filter((r) => !r.comparable && r.rFrom === null);
  const flagged = w.correlations.filter((r) => !r.comparable && r.rFrom !== null);
  const untestable = w.correlations.filter((r) => r.comparable && r.p === null).length;
  const blocks: Block[] = [];
  const words = [
    `Of the ${count(w.correlations.length - added.length, 'correlation')} of Tables 3 and 4 present in consecutive waves, ${tested.length} ${tested.length === 1 ? 'was' : 'were'} compared with a test of the difference of their Fisher-transformed values, treating the waves as independent samples (conservative here, since panel members answer in both). ${significant.length === 0 ? 'None changed significantly at 5%' : `${capitalise(numberWord(significant.length))} changed significantly at 5%`}, against about ${byChance(family)} expected by chance alone; after the Benjamini-Hochberg adjustment across the ${tested.length}, ${numberWord(afterBH)} ${afterBH === 1 ? 'remains' : 'remain'}.`,
  ];
  const booted = tested.filter((r) => r.pBoot !== null);
  if (booted.length) {
    const bootSignificant = booted.filter((r) => r.pBoot! < ALPHA).length;
    words.push(
      ` Because the two waves share most respondents, each change is also estimated by a bootstrap that draws the stayers once for both waves (standard error and percentile interval in ${WAVE_TABLES.correlationChanges}): by it, ${numberWord(bootSignificant)} of the ${booted.length} changed at 5%.`,
    );
  }
  if (untestable) words.push(` ${capitalise(count(untestable, 'correlation'))} could not be tested (too few respondents, or r of 1).`);
  if (added.length) {
    const named = [...new Set(added.map((r) => `${L.predictorPhrase(r.predictor)}${r.item ? ` (${L.itemLabel(r.item)})` : ''} in ${cellName(r.area, r.theme)} (${r.note})`))];
    words.push(` Not comparable, because the earlier wave did not ask the question: ${list(named)}.`);
  }
  blocks.push(paragraph(words.join('')));
  if (flagged.length) {
    // One entry per cell, naming the tables it appears in.
    const cells = new Map<string, { text: string; tables: string[] }>();
    for (const r of flagged) {
      const key = `${r.area}|${r.theme}|${r.predictor}|${r.item}`;
      const c = cells.get(key) ?? { text: `${L.predictorPhrase(r.predictor)}${r.item ? ` (${L.itemLabel(r.item)})` : ''} with co-production in ${cellName(r.area, r.theme)}`, tables: [] };
      if (!c.tables.includes(r.table)) c.tables.push(r.table);
      cells.set(key, c);
    }
    const named = [...cells.values()].map((c) => `${c.text} (${c.tables.length === 1 ? 'Table' : 'Tables'} ${list(c.tables)})`);
    blocks.push(
      paragraph(
        `${capitalise(count(flagged.length, 'correlation'))} ${flagged.length === 1 ? 'was' : 'were'} not compared and ${flagged.length === 1 ? 'is' : 'are'} flagged instead, because the codebooks record that the question behind ${flagged.length === 1 ? 'it' : 'them'} changed between the waves: ${list(named)}. The reworded question${questionsNamed(flagged.map((r) => r.note)).length === 1 ? '' : 's'}:`,
      ),
      bullets(questionsNamed(flagged.map((r) => r.note))),
    );
  }
  if (significant.length) {
    const table: Table = {
      id: 'tbl-p3',
      label: 'Table W3',
      caption: 'Correlations that changed significantly between consecutive waves (5%, unadjusted)',
      head: ['Waves', 'Table', 'Area', 'Theme', 'Predictor', 'r before', 'r after', 'z', 'p'],
      align: ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right'],
      rows: significant.map((r) => ({
        cells: [
          cell(pairLabel(r)), cell(r.table), cell(r.area), cell(r.theme), cell(`${L.predictorLabel(r.predictor)}${r.item ? ` (${L.itemLabel(r.item)})` : ''}`),
          r.rFrom === null ? cell('-') : numCell(fixed(r.rFrom, 3), address('correlation-changes.csv', r.at, 'r_from')), numCell(fixed(r.rTo, 3), address('correlation-changes.csv', r.at, 'r_to')),
          numCell(fixed(r.z!, 2), address('correlation-changes.csv', r.at, 'z')), pCell(r.p, address('correlation-changes.csv', r.at, 'p')),
        ],
      })),
      notes: [['Every correlation compared, and every one flagged with the codebook\'s note, is in ', { code: WAVE_TABLES.correlationChanges }, '.']],
    };
    blocks.push({ kind: 'table', table });
  }
  return blocks;
}

function attritionBlocks(w: WaveChanges): Block[] {
  const measured = w.attrition.filter((r) => r.smd !== null);
  const flagged = measured.filter((r) => r.flagged);
  const tested = w.attrition.filter((r) => r.p !== null);
  const family = familyCounts(tested.map((r) => r.p!), ALPHA);
  const describe = (r: AttritionRow) => {
    const m = measure(r.variable);
    const at = (column: string) => address('attrition.csv', r.at, column);
    return prose`in ${where(r)} (${pairLabel(r)}), those who left had a ${r.meanLost! > r.meanRetained! ? 'higher' : 'lower'} ${m.phrase} at baseline (${cellNumber(fixed(r.meanLost!, m.digits), at('mean_lost'))} against ${cellNumber(fixed(r.meanRetained!, m.digits), at('mean_retained'))} among those who stayed, SMD ${cellNumber(fixed(r.smd!, 2), at('smd'))}, ${pIs(r.p!, at('p'))})`;
  };
  const opening = `Respondents lost to the panel are compared at baseline with those who stayed, on each co-production measure and on the demographics the area asked (Table W4). The measure is the standardised mean difference (SMD), flagged above 0.1 in size; Welch's t test is given beside it, since with a few hundred respondents a test that finds no difference is no evidence that there is none.`;
  const finding =
    measured.length === 0
      ? ' No comparison could be made.'
      : flagged.length === 0
        ? ` No SMD exceeds 0.1 in size in any of the ${count(measured.length, 'comparison')}.`
        : prose` In ${numberWord(flagged.length)} of the ${count(measured.length, 'comparison')} the SMD exceeds 0.1 in size: ${inlineList(flagged.filter((r) => r.p !== null).map(describe))}. Changes in these cells should be read with that in mind. Welch's test finds a difference at the 5% level in ${numberWord(family.significant)} of the ${count(tested.length, 'comparison')}; about ${byChance(family)} are expected by chance.`;
  const table: Table = {
    id: 'tbl-p4',
    label: 'Table W4',
    caption: 'Baseline values of respondents who stayed in the panel and of those who left',
    head: ['Waves', 'Area', 'Theme', 'Measure', 'n stayed', 'n left', 'Stayed', 'Left', 'SMD', '', 'p'],
    align: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'right'],
    rows: w.attrition.map((r) => {
      const d = measure(r.variable).digits + 1;
      return {
        cells: [
          cell(pairLabel(r)), cell(r.area), cell(r.theme || 'all'), cell(measure(r.variable).label),
          numCell(String(r.nRetained), address('attrition.csv', r.at, 'n_retained')), numCell(String(r.nLost), address('attrition.csv', r.at, 'n_lost')),
          r.meanRetained === null ? cell('-') : numCell(fixed(r.meanRetained, d), address('attrition.csv', r.at, 'mean_retained')),
          r.meanLost === null ? cell('-') : numCell(fixed(r.meanLost, d), address('attrition.csv', r.at, 'mean_lost')),
          r.smd === null ? cell('-') : numCell(fixed(r.smd, 2), address('attrition.csv', r.at, 'smd')),
          cell(r.flagged ? '†' : ''),
          pCell(r.p, address('attrition.csv', r.at, 'p')),
        ],
      };
    }),
    notes: [['SMD: (left - stayed) over the root mean of their two variances; † marks |SMD| > 0.1. Demographics are the respondent\'s and are compared once per area (theme "all"); gender and ethnicity are shares coded 0/1. Every row is in ', { code: WAVE_TABLES.attrition }, '.']],
  };
  return [paragraph(...prose`${opening}${finding}`), { kind: 'table', table }];
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The section, numbered `number`; nothing when render was not given the tables. */
export function wavesSection(L: Labels, w: WaveChanges | undefined, number: number): Block[] {
  if (!w) return [];
  const span = [...new Set(w.panel.flatMap((r) => [r.from, r.to]))].sort((a, b) => a - b);
  const blocks: Block[] = [heading(2, `${number}. The panel across waves${span.length ? ` (${span[0]} to ${span[span.length - 1]})` : ''}`, 'sec-panel')];
  if (w.panel.length === 0) {
    blocks.push(paragraph('The data hold one wave, so there is no change to follow yet: the tables of panel retention, paired change, correlation change and attrition have headers only.'));
    return blocks;
  }
  blocks.push(
    paragraph(
      'The councils\' panels asked many of the same people again in the next wave. Following respondents by their panel ID shows who stayed, how the measures of those who stayed moved, whether the correlations of Tables 3 and 4 held, and whether those who left were different to begin with. Before any comparison, each wave was checked to hold an export with valid respondents for every area an earlier wave has, and no export repeating an earlier wave\'s.',
    ),
  );
  // Each subsection's counts and ranges link to the table they are counted from.
  blocks.push(heading(3, `${number}.1 Who stayed`, 'sec-panel-retention'), ...countedIn(retentionBlocks(w), 'tbl-p1'));
  blocks.push(heading(3, `${number}.2 Change among those who stayed`, 'sec-panel-change'), ...countedIn(pairedBlocks(w), 'tbl-p2'));
  blocks.push(heading(3, `${number}.3 Did the correlations hold?`, 'sec-panel-correlations'), ...countedIn(correlationBlocks(L, w), 'tbl-p3'));
  blocks.push(heading(3, `${number}.4 Attrition`, 'sec-panel-attrition'), ...countedIn(attritionBlocks(w), 'tbl-p4'));
  return blocks;
}
