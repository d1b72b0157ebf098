/**
 * An audit of the published tables in the spirit of statcheck: are the printed stars consistent with the
 * printed r at the area's number of respondents, and which printed values look like slips (an order of
 * magnitude off their row, a value repeated into the next cell, an undefined "***", a mislabelled term,
 * counts in the text the tables do not bear out). The transcription's notes say most of this in words;
 * here each check is recomputed, so the two can be set side by side.
 */
import { correlationP } from '../../lib/stats/correlation.js';
import { checkStars, starsHold, type StarCheck } from '../../lib/stats/published-stars.js';
import type { Labels } from '../../lib/report/labels.js';
import type { CellRef, PublishedCorrelation, PublishedNudge, PublishedTables } from '../../lib/report/published.js';
import { fixed } from '../../lib/report/words.js';

/** A printed correlation's stars checked at the respondents of its area (lib/stats/published-stars.ts). */
export interface PublishedStarCheck extends StarCheck {
  entry: PublishedCorrelation;
  n: number;
}

const checkEntry = (entry: PublishedCorrelation, n: number): PublishedStarCheck => ({ entry, n, ...checkStars(entry.r, entry.stars, n) });

export interface AuditRow {
  check: string;
  table: string;
  area: string;
  theme: string;
  predictor: string;
  item: string;
  outcome: string;
  term: string;
  claim: string;
  printed: string;
  n: string;
  p_at_n: string;
  stars_at_n: string;
  verdict: string;
  smallest_n: string;
  largest_n: string;
  transcription: string;
  agrees_with_transcription: string;
  note_ids: string;
  detail: string;
}

const EMPTY: AuditRow = {
  check: '', table: '', area: '', theme: '', predictor: '', item: '', outcome: '', term: '', claim: '', printed: '', n: '', p_at_n: '', stars_at_n: '',
  verdict: '', smallest_n: '', largest_n: '', transcription: '', agrees_with_transcription: '', note_ids: '', detail: '',
};
export const AUDIT_COLUMNS = Object.keys(EMPTY) as Array<keyof AuditRow>;

/**
 * An audit row with the transcription's entries it rests on, for its row lineage: `about`, the printed
 * values it judges (each also recomputed from the data, in the same cell of Tables 2-5), and `context`,
 * the other printed values the judgement reads (the area's N, the rest of the row, the cells counted).
 */
export interface Audited {
  row: AuditRow;
  about: object[];
  context: object[];
}

const pText = (p: number) => (p < 0.0001 ? '<0.0001' : fixed(p, 4));
const where = (e: { area: string; theme: string; item?: string }) => `${e.area} ${e.theme}${e.item ? ` (${e.item})` : ''}`;
const corrRef = (e: PublishedCorrelation) => ({ table: String(e.table), area: e.area, theme: e.theme, predictor: e.predictor, item: e.item, printed: e.printed, note_ids: e.note_ids.join(' ') });
const nudgeRef = (e: PublishedNudge) => ({ table: '5', area: e.area, theme: e.theme, item: e.item, outcome: e.outcome, term: e.term, printed: e.printed, note_ids: e.note_ids.join(' ') });

/** Where an area's N is printed: its critical values' entry, else its Table 1 row. */
function nSource(pub: PublishedTables, area: string): object[] {
  const entry = pub.significance.critical_r.find((c) => c.area === area) ?? pub.table1.rows.find((a) => a.area === area);
  return entry ? [entry] : [];
}

function starRows(pub: PublishedTables): { rows: Audited[]; checks: PublishedStarCheck[] } {
  const nOf = new Map(pub.significance.critical_r.map((c) => [c.area, c.n]));
  for (const a of pub.table1.rows) if (!nOf.has(a.area)) nOf.set(a.area, a.respondents);
  const checks = pub.correlations.entries.map((e) => checkEntry(e, nOf.get(e.area) ?? 0));
  const rows = checks.map((c): Audited => {
    const { entry: e, range } = c;
    const detail =
      c.verdict === 'consistent'
        ? `At n = ${c.n}, p = ${pText(c.p)}: the printed stars fit.`
        : range === undefined
          ? `At n = ${c.n}, p = ${pText(c.p)} (${c.starsAtN || 'no star'}); no number of respondents makes "${e.stars || 'no star'}" fit r = ${e.printed.replace(/\*+$/, '')}.`
          : `At n = ${c.n}, p = ${pText(c.p)} (${c.starsAtN || 'no star'}); "${e.stars || 'no star'}" would fit only with n from ${range.low}${Number.isFinite(range.high) ? ` to ${range.high}` : ' up'}.`;
    const row: AuditRow = {
      ...EMPTY,
      ...corrRef(e),
      check: 'stars',
      n: String(c.n),
      p_at_n: pText(c.p),
      stars_at_n: c.starsAtN,
      verdict: c.verdict,
      smallest_n: range ? String(range.low) : '',
      largest_n: range && Number.isFinite(range.high) ? String(range.high) : '',
      transcription: e.star_check,
      agrees_with_transcription: e.star_check === c.verdict ? 'yes' : 'no',
      detail,
    };
    return { row, about: [e], context: nSource(pub, e.area) };
  });
  return { rows, checks };
}

/** Values at least twice the largest other |r| of their predictor row, and at least 0.25. */
function magnitudeRows(pub: PublishedTables, nOf: (area: string) => number): Audited[] {
  const out: Audited[] = [];
  const entries = pub.correlations.entries;
  for (const e of entries) {
    const rowMates = entries.filter((o) => o !== e && o.table === e.table && o.predictor === e.predictor);
    const others = rowMates.map((o) => Math.abs(o.r));
    if (others.length === 0) continue;
    const largest = Math.max(...others);
    // The same cell in the other correlation table: a slip stands out against it too.
    const twin = entries.find((o) => o.table !== e.table && o.area === e.area && o.theme === e.theme && o.predictor === e.predictor && o.item === e.item);
    if (Math.abs(e.r) < 0.25 || Math.abs(e.r) < 2 * largest) continue;
    if (twin && Math.abs(e.r) < 5 * Math.abs(twin.r)) continue;
    const shifted = e.r / 10;
    const n = nOf(e.area);
    const fitsShifted = starsHold(e.stars, correlationP(shifted, n));
    const fitsPrinted = starsHold(e.stars, correlationP(e.r, n));
    const row: AuditRow = {
      ...EMPTY,
      ...corrRef(e),
      check: 'magnitude',
      n: String(n),
      verdict: 'suspect',
      transcription: e.suspect ? 'suspect' : 'not flagged',
      agrees_with_transcription: e.suspect ? 'yes' : 'no',
      detail: `|r| = ${fixed(Math.abs(e.r), 3)} is ${fixed(Math.abs(e.r) / largest, 1)} times the largest other value in its row (${fixed(largest, 3)})${twin ? ` and ${twin.r === 0 ? 'far above' : `${fixed(Math.abs(e.r / twin.r), 1)} times`} the same cell in Table ${twin.table} (${twin.printed})` : ''}. Its stars ${fitsPrinted ? 'fit' : 'do not fit'} the printed value at n = ${n}; read with a dropped zero (${fixed(shifted, 3)}) they ${fitsShifted ? 'fit' : 'do not fit'}.`,
    };
    out.push({ row, about: [e], context: [...rowMates, ...(twin && !rowMates.includes(twin) ? [twin] : []), ...nSource(pub, e.area)] });
  }
  return out;
}

function repeatedRows(L: Labels, pub: PublishedTables): Audited[] {
  const out: Audited[] = [];
  const byRow = new Map<string, PublishedCorrelation[]>();
  for (const e of pub.correlations.entries) {
    const key = `${e.table}|${e.predictor}|${e.item}`;
    byRow.set(key, [...(byRow.get(key) ?? []), e]);
  }
  for (const row of byRow.values()) {
    const sorted = [...row].sort((a, b) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme));
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      if (a.area !== b.area || a.printed !== b.printed || a.r === 0) continue;
      const row: AuditRow = {
        ...EMPTY,
        ...corrRef(b),
        check: 'repeated value',
        verdict: 'suspect',
        transcription: a.suspect && b.suspect ? 'suspect' : 'not flagged',
        agrees_with_transcription: a.suspect && b.suspect ? 'yes' : 'no',
        detail: `${L.columnLabel(a.area, a.theme)} and ${L.columnLabel(b.area, b.theme)} print the same value and stars (${b.printed}) side by side; a value copied into the neighbouring column is possible.`,
      };
      out.push({ row, about: [a, b], context: [] });
    }
  }
  const blocks = new Map<string, PublishedNudge[]>();
  for (const e of pub.table5.entries) {
    const key = `${e.area}|${e.theme}|${e.item}|${e.outcome}`;
    blocks.set(key, [...(blocks.get(key) ?? []), e]);
  }
  for (const block of blocks.values()) {
    if (block.length < 3 || new Set(block.map((e) => e.printed)).size !== 1) continue;
    const e = block[0]!;
    const row: AuditRow = {
      ...EMPTY,
      ...nudgeRef(e),
      term: block.map((b) => b.term).join(' '),
      check: 'repeated value',
      verdict: 'suspect',
      transcription: block.every((b) => b.suspect) ? 'suspect' : 'not flagged',
      agrees_with_transcription: block.every((b) => b.suspect) ? 'yes' : 'no',
      detail: `All ${block.length} ${e.outcome} coefficients for ${where(e)} print ${e.printed}; three different nudges giving one identical estimate is unlikely, so a value filled down is possible.`,
    };
    out.push({ row, about: block, context: [] });
  }
  return out;
}

function labelRows(L: Labels, pub: PublishedTables): Audited[] {
  const out: Audited[] = [];
  const about = (row: AuditRow, ...entries: object[]): Audited => ({ row, about: entries, context: [] });
  for (const e of pub.correlations.entries.filter((x) => x.stars === '***'))
    out.push(about({ ...EMPTY, ...corrRef(e), check: 'undefined level', verdict: 'suspect', transcription: 'noted', agrees_with_transcription: e.note_ids.length ? 'yes' : 'no', detail: `${e.printed} uses three stars, a level the table note never defines (it defines * and ** only); read as p < .001.` }, e));
  for (const e of pub.table5.entries.filter((x) => x.stars === '***'))
    out.push(about({ ...EMPTY, ...nudgeRef(e), check: 'undefined level', verdict: 'suspect', transcription: 'noted', agrees_with_transcription: e.note_ids.length ? 'yes' : 'no', detail: `${e.printed} uses three stars, a level the table note never defines; without a standard error the level cannot be checked.` }, e));
  const defined = new Set(Object.values(pub.table5.term_labels));
  for (const e of pub.table5.entries.filter((x) => x.printed_term !== undefined && !defined.has(x.printed_term)))
    out.push(about({ ...EMPTY, ...nudgeRef(e), check: 'mislabelled term', verdict: 'suspect', transcription: 'noted', agrees_with_transcription: 'yes', detail: `The term is printed "${e.printed_term}", a label defined nowhere; every other block uses Nudge A, Nudge B and Both Nudges, so it is read as ${L.termLabel(e.term)}.` }, e));
  const headings = new Map<string, string>();
  for (const r of pub.table2.rows) if (r.printed_heading !== r.area.toUpperCase()) headings.set(r.area, r.printed_heading);
  for (const [area, printed] of headings)
    out.push(
      about(
        { ...EMPTY, check: 'label typo', table: '2', area, printed, verdict: 'suspect', transcription: 'noted', agrees_with_transcription: 'yes', detail: `The area heading is printed "${printed}" for ${area}.` },
        ...pub.table2.rows.filter((r) => r.area === area && r.printed_heading === printed),
      ),
    );
  return out;
}

/** The printed row a claim's reference points into (Table 1 or 2), and the value it names there. */
function refRow(pub: PublishedTables, ref: CellRef): object | undefined {
  if (ref.table === 1) return pub.table1.rows.find((r) => r.area === ref.area);
  if (ref.table === 2) return pub.table2.rows.find((r) => r.area === ref.area && r.theme === ref.theme);
  return undefined;
}

function refValue(pub: PublishedTables, ref: CellRef): number | boolean | string | null | undefined {
  const row = refRow(pub, ref) as Record<string, number | boolean | string | null> | undefined;
  return row?.[(ref.table === 1 ? ref.field : ref.column) ?? ''];
}

/** Counts of area-theme cells with a starred value in a direction, from the printed tables. */
function starredCells(pub: PublishedTables, table: 3 | 4, predictor: string, direction: 'positive' | 'negative' | 'any'): number {
  const cells = new Set<string>();
  for (const e of pub.correlations.entries) {
    if (e.table !== table || e.predictor !== predictor || !e.stars) continue;
    if (direction === 'positive' && !(e.r > 0)) continue;
    if (direction === 'negative' && !(e.r < 0)) continue;
    cells.add(`${e.area}|${e.theme}`);
  }
  return cells.size;
}

/** Area-theme cells with at least one entry passing `test` in a direction. */
function significantCells(pub: PublishedTables, table: 3 | 4, predictor: string, direction: 'positive' | 'negative' | 'any', test: (e: PublishedCorrelation) => boolean): number {
  const cells = new Set<string>();
  for (const e of pub.correlations.entries) {
    if (e.table !== table || e.predictor !== predictor || !test(e)) continue;
    if (direction === 'positive' && !(e.target_r > 0)) continue;
    if (direction === 'negative' && !(e.target_r < 0)) continue;
    cells.add(`${e.area}|${e.theme}`);
  }
  return cells.size;
}

function claimRows(L: Labels, pub: PublishedTables, checks: readonly PublishedStarCheck[]): Audited[] {
  const out: Audited[] = [];
  const nOf = new Map(checks.map((c) => [c.entry, c.n]));
  // Significant at the area's N once the transcription's corrected readings replace apparent slips.
  const significantAtN = (e: PublishedCorrelation) => correlationP(e.target_r, nOf.get(e) ?? 0) < 0.05 && Math.sign(e.target_r) === Math.sign(e.r);
  for (const claim of pub.claims) {
    if (!claim.checkable) continue;
    const problems: string[] = [];
    // The printed values the claim is checked against, for its row lineage.
    const read = new Set<object>();
    const readRef = (ref: CellRef) => {
      const row = refRow(pub, ref);
      if (row) read.add(row);
    };
    for (const c of claim.checks) readRef(c.ref);
    for (const c of claim.comparisons ?? []) [c.greater, c.lesser].forEach(readRef);
    for (const c of claim.counts ?? []) for (const e of pub.correlations.entries) if (e.table === c.table && e.predictor === c.predictor) read.add(e);
    for (const c of claim.nudge_counts ?? []) for (const e of pub.table5.entries) if (c.outcome === 'any' || e.outcome === c.outcome) read.add(e);
    if (claim.id === 'information-more-evident-collective') for (const e of pub.correlations.entries) if (e.predictor === 'satisfaction_information') read.add(e);
    for (const c of claim.checks) {
      const v = refValue(pub, c.ref);
      if (v !== undefined && v !== c.expected) problems.push(`the text gives ${c.expected} where Table ${c.ref.table} prints ${v} (${c.ref.area}${c.ref.theme ? `, ${c.ref.theme}` : ''})`);
    }
    for (const c of claim.comparisons ?? []) {
      const g = refValue(pub, c.greater);
      const l = refValue(pub, c.lesser);
      if (typeof g === 'number' && typeof l === 'number' && !(g > l)) problems.push(`${c.greater.area} ${c.greater.theme} (${g}) is not above ${c.lesser.area} ${c.lesser.theme} (${l})`);
    }
    for (const c of claim.counts ?? []) {
      const found = starredCells(pub, c.table, c.predictor, c.direction);
      const tested = new Set([
        ...pub.correlations.entries.filter((e) => e.table === c.table && e.predictor === c.predictor).map((e) => `${e.area}|${e.theme}`),
      ]).size;
      const recounted = significantCells(pub, c.table, c.predictor, c.direction, significantAtN);
      const what = c.direction === 'any' ? 'significant' : `significant ${c.direction}`;
      if (found !== c.expected) problems.push(`the text counts ${c.expected} ${what} cells for ${L.predictorPhrase(c.predictor)} in Table ${c.table}; the table stars ${found}`);
      if (c.out_of !== null && c.out_of !== tested) problems.push(`it counts out of ${c.out_of}, but ${L.predictorPhrase(c.predictor)} was asked in ${tested} area-theme cells of Table ${c.table}`);
      if (recounted !== found) problems.push(`recomputed at each area's full N (corrected readings, p < .05), ${recounted} ${recounted === 1 ? 'cell is' : 'cells are'} ${what} rather than the ${found} starred`);
    }
    for (const c of claim.nudge_counts ?? []) {
      const entries = pub.table5.entries.filter((e) => c.outcome === 'any' || e.outcome === c.outcome);
      const sig = entries.filter((e) => e.stars !== '').length;
      if (sig !== c.significant) problems.push(`the text counts ${c.significant} significant ${c.outcome === 'any' ? '' : `${c.outcome} `}nudge coefficients; the table stars ${sig}`);
      if (c.total !== null && c.total !== entries.length) problems.push(`the text speaks of ${c.total} ${c.outcome === 'any' ? '' : `${c.outcome} `}cases; the table prints ${entries.length} coefficients`);
    }
    if (claim.id === 'information-more-evident-collective') {
      const ind = starredCells(pub, 3, 'satisfaction_information', 'positive');
      const col = starredCells(pub, 4, 'satisfaction_information', 'positive');
      if (!(col > ind)) problems.push(`Table 3 has ${ind} positive starred information cells and Table 4 ${col}, so the link is not more frequent for collective co-production`);
    }
    // Claims whose only check is a count that reproduces, or that carry nothing checkable here, stay quiet.
    const unique = [...new Set(problems)];
    const agrees = unique.filter((p) => !p.startsWith('recomputed at each') && !p.startsWith('it counts out of')).length === 0;
    if (unique.length === 0 && (claim.agrees ?? true)) continue;
    const row: AuditRow = {
      ...EMPTY,
      check: 'text claim',
      claim: claim.id,
      verdict: agrees ? 'agrees' : 'disagrees',
      transcription: claim.agrees === null ? 'not checkable' : claim.agrees ? 'agrees' : 'disagrees',
      agrees_with_transcription: claim.agrees === null ? '' : claim.agrees === agrees ? 'yes' : 'no',
      note_ids: claim.note_ids.join(' '),
      detail: unique.length ? `${claim.says}: ${unique.join('; ')}.` : `${claim.says}: nothing found against it.`,
    };
    out.push({ row, about: [claim], context: [...read] });
  }
  return out;
}

export interface Audit {
  rows: AuditRow[];
  /** Per row, the transcription's entries it rests on. */
  sources: Array<Omit<Audited, 'row'>>;
  checks: PublishedStarCheck[];
}

export function audit(L: Labels, pub: PublishedTables): Audit {
  const { rows: stars, checks } = starRows(pub);
  const nOf = (area: string) => checks.find((c) => c.entry.area === area)?.n ?? 0;
  const all = [...stars, ...magnitudeRows(pub, nOf), ...repeatedRows(L, pub), ...labelRows(L, pub), ...claimRows(L, pub, checks)];
  return { rows: all.map((a) => a.row), sources: all.map(({ about, context }) => ({ about, context })), checks };
}
