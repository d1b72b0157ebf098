/**
 * The regenerated paper as a document: title, synthetic-data notice and reproduction summary first;
 * study areas; the findings of the latest wave with Tables 1-5 and the figures; the reproduction check
 * and the audit of the published tables; the panel across waves (when given); data availability and
 * references; earlier waves and the provenance record as appendices.
 */
import type { CleaningLog } from '../../lib/survey/cleaning-log.js';
import type { ValidationReport } from '../../lib/survey/validation-report.js';
import type { Audit, AuditRow } from './audit.js';
import { address, bullets, callout, cell, countedFrom, heading, num, paragraph, partsCell, type Block, type Figure, type Inline, type Row, type Table } from '../../lib/report/document.js';
import { comparisonFindings, correlationFindings, levelFindings, nudgeFindings, timeFindings } from './findings.js';
import type { CorrelationRow, LevelRow, NudgeRow, TimeItemRow } from '../../lib/report/inputs.js';
import type { Labels } from '../../lib/report/labels.js';
import { overrideLines, provenanceBlocks, type ProvenanceRecord, type Source } from './provenance.js';
import type { PublishedTables } from '../../lib/report/published.js';
import { tally, VERDICTS, type Comparison, type Tolerances } from '../../lib/report/reproduction.js';
import type { AreaCount } from '../../lib/report/respondents.js';
import { correlationTable, nudgeTable, table1, table2, timeTable } from '../../lib/report/tables.js';
import { coefficientPhrase, departsFromPaper, methodNames } from '../../lib/report/coefficient.js';
import { capitalise, count, fixed, list } from '../../lib/report/words.js';
import { wavesSection, type WaveChanges } from './waves.js';
import type { ExperimentTables } from '../../lib/report/experiment-inputs.js';
import { experimentSection, experimentTables } from './experiment.js';
import { weightingSection, type WeightingTables } from './weighting.js';
import { methodsSection } from './methods.js';
import { asWeighted, type Estimates } from './weighted-estimates.js';

export interface Model {
  published: PublishedTables;
  levels: LevelRow[];
  timeItems: TimeItemRow[];
  individual: CorrelationRow[];
  collective: CorrelationRow[];
  nudges: NudgeRow[];
  cleaning: CleaningLog | undefined;
  validation: ValidationReport | undefined;
  counts: AreaCount[];
  /** Latest first. */
  waves: number[];
  paperWave: number;
  synthetic: boolean;
  tolerances: Tolerances;
  comparisons: Comparison[];
  audit: Audit;
  provenance: ProvenanceRecord[];
  sources: Source[];
  /** The study's labels and orders (lib/report/labels.ts). */
  labels: Labels;
  /** compare-waves's tables, when render is given them. */
  waveChanges?: WaveChanges;
  /** The experiment step's tables, when render is given them: Methods and Section 2.5. */
  experiment?: ExperimentTables;
  /** The weights step's tables, when render is given them: Section 2.6. */
  weighting?: WeightingTables;
  /**
   * Which estimates the main Tables 2-4 show (render's `estimates`). When weighted, levels, individual
   * and collective hold the weighted rows and `unweighted` the step outputs, for Section 2.6.
   */
  estimates?: Estimates;
  unweighted?: { levels: LevelRow[]; individual: CorrelationRow[]; collective: CorrelationRow[] };
  /** The formatted bibliography (raw/references.bib), when render is given it. */
  references?: Array<{ id: string; inlines: Inline[] }>;
  /** The software the numbers were computed with, when render is given the lockfile. */
  environment?: Environment;
}

export interface Environment {
  /** Node's major versions, from the upstream entries' runtimes. */
  node: string[];
  lockfileHash: string;
  /** Package and version, every version the upstream steps ran with. */
  packages: Array<[string, string]>;
  citationStyle: string;
}

export const TITLE = 'Individual and collective co-production of public services in five UK council areas: a regenerated analysis';

const table = (t: Table): Block => ({ kind: 'table', table: t });
/** A table with no rows says nothing the findings have not said; leave it out. */
const tableIfAny = (t: Table): Block[] => (t.rows.length ? [table(t)] : []);
const figure = (f: Figure | undefined): Block[] => (f ? [{ kind: 'figure', figure: f }] : []);
const paras = (ps: Inline[][]): Block[] => ps.map((p) => paragraph(...p));

export function reproductionSummary(m: Model): string {
  const t = tally(m.comparisons);
  const total = m.comparisons.length;
  const suspectDiffering = m.comparisons.filter((c) => c.verdict === 'differs' && c.suspect).length;
  return `Reproduction check (wave ${m.paperWave}): of ${total} published values, ${t.match} match, ${t['within tolerance']} ${t['within tolerance'] === 1 ? 'is' : 'are'} within tolerance, ${t.differs} ${t.differs === 1 ? 'differs' : 'differ'}${t.differs ? ` (${suspectDiffering} of them flagged suspect in the transcription)` : ''} and ${t['not computed']} could not be computed from the data.${methodCaveat(m)}`;
}

/** When the recomputed correlations are not Pearson's, the check compares unlike coefficients: say so. */
function methodCaveat(m: Model): string {
  // The check compares the unweighted recomputation, whatever the main tables show.
  const rows = [...(m.unweighted ?? m).individual, ...(m.unweighted ?? m).collective];
  return departsFromPaper(rows, m.paperWave)
    ? ` Tables 3 and 4 here hold ${coefficientPhrase(rows, m.paperWave)}: their rows compare ${methodNames(rows, m.paperWave)} coefficients with the article's Pearson ones, not like with like.`
    : '';
}

function citation(m: Model): string {
  const s = m.published.source;
  // First name, then surname; a name of three words or more is read as a compound surname (Pinilla Roncancio).
  const names = s.authors.map((a) => {
    const [first, ...rest] = a.split(' ');
    return rest.length ? `${rest.join(' ')}, ${first!.charAt(0)}.` : first!;
  });
  return `${list(names)} (${s.year}). ${s.title}. ${s.journal}, ${s.volume}(${s.issue}), ${s.pages}. https://doi.org/${s.doi}`;
}

function front(m: Model): Block[] {
  const latest = m.waves[0];
  const blocks: Block[] = [heading(1, TITLE, 'title')];
  if (m.synthetic)
    blocks.push(
      callout(
        { strong: 'Synthetic data.' },
        ' The survey exports shipped with this project are a synthetic replica generated to resemble the councils\' panels, not the panels themselves. Every number below describes simulated respondents: it shows that the pipeline regenerates the analysis, not what citizens in these areas said.',
      ),
    );
  const overrides = overrideLines(m.provenance);
  if (overrides.length)
    blocks.push(
      callout(
        { strong: 'Parameters set for this run.' },
        ` ${overrides.join('; ')}. These replace the defaults declared in pipeline.ts; the provenance appendix lists them with the entries they made.`,
      ),
    );
  if (m.estimates === 'weighted')
    blocks.push(
      callout(
        { strong: 'Weighted estimates.' },
        " Tables 2 to 4, their figures and the findings drawn from them are weighted: the areas with population margins are raked to them (Section 2.6, which sets the unweighted estimates beside the weighted ones). Table 5, the experiment and the reproduction check stay unweighted, as the article's estimates are.",
      ),
    );
  blocks.push(paragraph({ strong: reproductionSummary(m) }, ' Details in the section on reproduction.'));
  const s = m.published.source;
  blocks.push(
    paragraph(
      `This document regenerates, from survey data, the analysis of ${s.authors[0]!.split(' ').slice(1).join(' ')} and colleagues (${s.year}) on how far citizens in five English and Welsh council areas take part in public services alone and together with others, what goes with taking part, and whether two light-touch prompts ("nudges") moved it. Tables, figures and findings are computed by the pipeline; no number is copied from the article except in the reproduction and audit sections, which set the published values beside the recomputed ones.`,
    ),
  );
  if (latest !== undefined)
    blocks.push(
      paragraph(
        m.waves.length > 1
          ? `The data hold ${count(m.waves.length, 'wave')} (${m.waves.join(', ')}). The main sections report the latest, ${latest}; the tables of earlier waves are in Appendix A.`
          : `The data hold one wave, ${latest}, which the main sections report.`,
      ),
    );
  return blocks;
}

function dataSection(m: Model, latest: number): Block[] {
  const L = m.labels;
  const blocks: Block[] = [heading(2, `1. Study areas and data (${m.waves.length > 1 ? `waves ${list(m.waves.slice().sort((a, b) => a - b).map(String))}` : `wave ${latest}`})`, 'sec-data')];
  const dataAreas = [...new Set(m.levels.filter((r) => r.wave === latest).map((r) => r.area))];
  blocks.push(table(table1(L, m.published.table1.rows, m.counts, latest, dataAreas)));
  const lines: Inline[][] = m.waves.map((w) => {
    const c = m.counts.filter((x) => x.wave === w);
    const valid = c.reduce((s, x) => s + (x.valid ?? 0), 0);
    const raw = c.every((x) => x.raw_rows !== null) ? c.reduce((s, x) => s + (x.raw_rows ?? 0), 0) : null;
    const rejected = c.every((x) => x.rejected !== null) ? c.reduce((s, x) => s + (x.rejected ?? 0), 0) : null;
    return [
      `Wave ${w}: ${count(c.length, 'area')}, ${valid} valid records`,
      raw !== null ? ` out of ${raw} rows read (${rejected} set aside by cleaning or validation, with their reasons, in the quarantine files).` : '.',
    ];
  });
  if (lines.length) blocks.push(bullets(lines));
  blocks.push(
    paragraph(
      'Each council ran the questionnaire on its own citizens\' panel and chose the themes it cared about, so an area reports only its own themes. Percentages are of respondents who answered; "don\'t know" answers are left out of the correlations.',
    ),
  );
  return blocks;
}

/** A main table as it is printed: with its weighted caption and notes when the run shows weighted estimates. */
const main = (m: Model, t: Table, file: 'table2' | 'table3' | 'table4'): Table => (m.estimates === 'weighted' ? asWeighted(t, file) : t);

function findingsSection(m: Model, latest: number, figures: ReadonlyMap<string, Figure>): Block[] {
  const L = m.labels;
  const blocks: Block[] = [heading(2, `2. Findings, wave ${latest}`, 'sec-findings')];
  blocks.push(heading(3, `2.1 How much co-production (wave ${latest})`, 'sec-levels'));
  blocks.push(...paras(countedFrom(levelFindings(L, m.levels, latest), 'tbl-2')));
  blocks.push(...tableIfAny(main(m, table2(L, m.levels, latest), 'table2')));
  blocks.push(...figure(figures.get('table2-levels')));
  const time = m.timeItems.filter((r) => r.wave === latest);
  if (time.length) {
    blocks.push(paragraph('Where the questionnaire asked instead about time already given and extra time on offer, the two compare as follows (Table 2a).'));
    blocks.push(...paras(countedFrom(timeFindings(L, m.timeItems, latest), 'tbl-2a')));
    blocks.push(table(timeTable(L, m.timeItems, latest)));
  }
  blocks.push(heading(3, `2.2 What goes with individual co-production (wave ${latest})`, 'sec-individual'));
  if (departsFromPaper([...m.individual, ...m.collective], latest))
    blocks.push(
      paragraph(
        `The correlations in this section and in Tables 3 and 4 are ${coefficientPhrase([...m.individual, ...m.collective], latest)}, as the correlate step was set to compute them; the article reports Pearson correlations. Stars and intervals are those of the coefficient shown.`,
      ),
    );
  blocks.push(...paras(countedFrom(correlationFindings(L, m.individual, latest, 'individual'), 'tbl-3')));
  blocks.push(...tableIfAny(main(m, correlationTable(L, m.individual, latest, 'individual', 'Table 3', 'tbl-3', 'tables/table3.csv'), 'table3')));
  blocks.push(...figure(figures.get('table3-heatmap')));
  blocks.push(heading(3, `2.3 What goes with collective co-production (wave ${latest})`, 'sec-collective'));
  blocks.push(...paras(countedFrom(correlationFindings(L, m.collective, latest, 'collective'), 'tbl-4')));
  blocks.push(...paras(comparisonFindings(L, m.individual, m.collective, latest)));
  blocks.push(...tableIfAny(main(m, correlationTable(L, m.collective, latest, 'collective', 'Table 4', 'tbl-4', 'tables/table4.csv'), 'table4')));
  blocks.push(...figure(figures.get('table4-heatmap')));
  blocks.push(heading(3, `2.4 Did the nudges work? (wave ${latest})`, 'sec-nudges'));
  blocks.push(
    paragraph(
      'Three councils split their panels at random into four groups: one read a short note that many neighbours already take part (nudge A), one a note that taking part takes little time (nudge B), one read both and one neither. Each coefficient is the difference in the co-production measure, in percentage points, between a nudged group and the group with no nudge.',
    ),
  );
  blocks.push(...paras(countedFrom(nudgeFindings(L, m.nudges, latest), 'tbl-5')));
  blocks.push(...tableIfAny(nudgeTable(L, m.nudges, latest)));
  blocks.push(...figure(figures.get('table5-nudges')));
  return blocks;
}

const TABLE_NAMES: Record<string, string> = { '1': 'Table 1 (respondents)', '2': 'Table 2', text: 'Text (time items)', '3': 'Table 3', '4': 'Table 4', '5': 'Table 5' };

const MEASURE_NAMES: Record<string, string> = {
  respondents: 'respondents',
  individual_pct: 'individual index (%)',
  collective_pct: 'in groups (%)',
  willing_pct: 'willing to give time (%)',
  current_time: 'time given now (%)',
  more_time: 'extra time offered (%)',
};

function describe(L: Labels, c: Comparison): string {
  const parts = [c.area, c.theme];
  if (c.predictor) parts.push(c.table === '3' || c.table === '4' ? L.predictorLabel(c.predictor) : (MEASURE_NAMES[c.predictor] ?? c.predictor));
  if (c.item) parts.push(c.item);
  if (c.outcome) parts.push(c.outcome);
  if (c.term) parts.push(L.termLabel(c.term));
  return parts.filter(Boolean).join(', ');
}

/** One decimal more than the paper printed shows how a value rounds; counts stay whole. */
const extra = (c: Comparison) => (c.table === '1' ? 0 : c.decimals + 1);

function reproductionSection(m: Model, figures: ReadonlyMap<string, Figure>): Block[] {
  const L = m.labels;
  const blocks: Block[] = [heading(2, `3. Reproduction of the published tables (wave ${m.paperWave})`, 'sec-reproduction')];
  const t = m.tolerances;
  // Its counts are tallies of the rows Table R1 sums up.
  blocks.push(...paras(countedFrom([[reproductionSummary(m)]], 'tbl-r1')));
  blocks.push(
    paragraph(
      `Each value the article prints is set beside the value recomputed from wave ${m.paperWave} of the data. A value matches when the recomputed one, rounded as the article rounds, is the same; it is within tolerance when it is off by no more than ${fixed(t.table2, 0)} point${t.table2 === 1 ? '' : 's'} (percentages), ${t.correlation} (correlations) or ${t.table5} (coefficients); otherwise it differs. Where the transcription judges a printed value to be a slip, the comparison uses its corrected reading and the row is flagged suspect. Every row is in `,
      { code: 'tables/reproduction.csv' },
      '.',
    ),
  );
  const tables = [...new Set(m.comparisons.map((c) => c.table))];
  const summary: Table = {
    id: 'tbl-r1',
    label: 'Table R1',
    caption: 'Published values against recomputed ones, by table',
    head: ['Source', 'Values', ...VERDICTS.map(capitalise), 'Flagged suspect'],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows: tables.map((name) => {
      const rows = m.comparisons.filter((c) => c.table === name);
      const tt = tally(rows);
      return { cells: [cell(TABLE_NAMES[name] ?? name), cell(String(rows.length)), ...VERDICTS.map((v) => cell(String(tt[v]))), cell(String(rows.filter((r) => r.suspect).length))] };
    }),
    notes: [],
  };
  blocks.push(table(summary));
  blocks.push(...figure(figures.get('published-vs-recomputed')));
  // A source with nothing recomputed is named once instead of listed value by value.
  const empty = tables.filter((name) => m.comparisons.filter((c) => c.table === name).every((c) => c.verdict === 'not computed'));
  if (empty.length)
    blocks.push(paragraph(`Nothing could be recomputed for ${list(empty.map((name) => (TABLE_NAMES[name] ?? name).replace(/^Text/, 'the text')))}: the data hold no such values for wave ${m.paperWave}.`));
  const notable = m.comparisons.filter((c) => !empty.includes(c.table) && (c.verdict === 'differs' || c.verdict === 'not computed' || (c.suspect && c.verdict !== 'match')));
  if (notable.length) {
    const rows: Row[] = notable.map((c) => {
      // The row of tables/reproduction.csv this comparison is, for each number's address.
      const at = (column: string) => address('reproduction.csv', m.comparisons.indexOf(c) + 1, column);
      return {
        cells: [
          cell(TABLE_NAMES[c.table] ?? c.table),
          cell(describe(L, c)),
          partsCell([[num(fixed(c.published, c.decimals), at('published')), c.stars_published]]),
          c.target !== c.published ? partsCell([[num(fixed(c.target, c.decimals), at('target'))]]) : cell(''),
          c.recomputed === null ? cell('-') : partsCell([[num(fixed(c.recomputed, extra(c)), at('recomputed')), c.stars_recomputed]]),
          c.difference === null ? cell('-') : partsCell([[num(fixed(c.difference, extra(c)), at('difference'))]]),
          cell(c.verdict),
          cell(c.suspect ? 'suspect' : ''),
        ],
      };
    });
    blocks.push(
      table({
        id: 'tbl-r2',
        label: 'Table R2',
        caption: 'Values that differ beyond tolerance, could not be computed, or are flagged suspect',
        head: ['Source', 'Cell', 'Published', 'Corrected reading', 'Recomputed', 'Difference', 'Verdict', 'Flag'],
        align: ['left', 'left', 'right', 'right', 'right', 'right', 'left', 'left'],
        rows,
        notes: [],
      }),
    );
  } else blocks.push(paragraph('Every published value is matched or within tolerance, and none is flagged suspect.'));
  const extraAreas = notInPaper(m);
  if (extraAreas.length) blocks.push(paragraph(`Not in the paper: ${list(extraAreas)} (in the data, but the article reports no value for ${extraAreas.length === 1 ? 'it' : 'them'}, so nothing of ${extraAreas.length === 1 ? 'it' : 'theirs'} is compared here).`));
  return blocks;
}

/** Areas in the data (any wave) that the article does not report, in table order. */
function notInPaper(m: Model): string[] {
  const L = m.labels;
  const published = new Set(m.published.table1.rows.map((a) => a.area));
  return [...new Set(m.levels.map((r) => r.area))].filter((a) => !published.has(a)).sort(L.compareAreas);
}

function auditSection(m: Model): Block[] {
  const L = m.labels;
  const blocks: Block[] = [heading(2, `4. Audit of the published tables (wave ${m.paperWave})`, 'sec-audit')];
  const checks = m.audit.checks;
  const by = (v: string) => checks.filter((c) => c.verdict === v).length;
  const agree = checks.filter((c) => c.verdict === c.entry.star_check).length;
  // Tallies of audit.csv's star checks, linked to Table S1, which lists those not consistent.
  const tally = (n: number): Inline => ({ counted: String(n), from: 'tbl-s1' });
  blocks.push(
    paragraph(
      'For each of the ',
      tally(checks.length),
      ` correlations the article prints, the two-sided p-value of its r is computed at the area's number of respondents (a t test with n - 2 degrees of freedom), and its stars are checked against it: `,
      tally(by('consistent')),
      ' are consistent, ',
      tally(by('borderline')),
      ' borderline (they would hold if up to half the respondents had been left out as "don\'t know" or missing) and ',
      tally(by('inconsistent')),
      ` inconsistent (no such number of respondents makes them hold). This agrees with the transcription's own check for `,
      tally(agree),
      ' of the ',
      tally(checks.length),
      '. Every check, with the range of n over which the stars would hold, is in ',
      { code: 'tables/audit.csv' },
      '.',
    ),
  );
  const flagged = checks.filter((c) => c.verdict !== 'consistent');
  if (flagged.length)
    blocks.push(
      table({
        id: 'tbl-s1',
        label: 'Table S1',
        caption: 'Published correlations whose stars do not fit their value at the area\'s N',
        head: ['Table', 'Cell', 'Printed', 'N', 'p at N', 'Stars at N', 'Verdict', 'Stars hold for n'],
        align: ['left', 'left', 'right', 'right', 'right', 'left', 'left', 'left'],
        rows: flagged.map((c) => ({
          cells: [
            cell(String(c.entry.table)),
            cell(`${c.entry.area}, ${c.entry.theme}, ${L.predictorLabel(c.entry.predictor)}${c.entry.item ? `, ${c.entry.item}` : ''}`),
            cell(c.entry.printed),
            // The star checks are the first rows of tables/audit.csv, in the same order.
            partsCell([[num(String(c.n), address('audit.csv', checks.indexOf(c) + 1, 'n'))]]),
            c.p < 0.0001 ? cell('<0.0001') : partsCell([[num(fixed(c.p, 4), address('audit.csv', checks.indexOf(c) + 1, 'p_at_n'))]]),
            cell(c.starsAtN || 'none'),
            cell(c.verdict),
            c.range
              ? partsCell([[num(String(c.range.low), address('audit.csv', checks.indexOf(c) + 1, 'smallest_n')), ...(Number.isFinite(c.range.high) ? [' to ', num(String(c.range.high), address('audit.csv', checks.indexOf(c) + 1, 'largest_n'))] : [' or more'])]])
              : cell('no n'),
          ],
        })),
        notes: [],
      }),
    );
  const extraAreas = notInPaper(m);
  if (extraAreas.length) blocks.push(paragraph(`Not in the paper: ${list(extraAreas)}. The audit covers the tables as the article prints them, which hold nothing of ${extraAreas.length === 1 ? 'it' : 'them'}.`));
  const others = m.audit.rows.filter((r) => r.check !== 'stars');
  if (others.length) {
    blocks.push(paragraph('Other apparent slips, found by recomputing from the printed tables; each ends with what the transcription says of the same cell or claim:'));
    blocks.push(bullets(others.map((r: AuditRow) => [{ strong: `${capitalise(r.check)}.` }, ` ${auditWhere(L, r)}: ${r.detail} Transcription: ${r.transcription}.`])));
  }
  if (m.published.notes.length) {
    blocks.push(heading(3, 'Notes of the transcription', 'sec-audit-notes'));
    blocks.push(paragraph('The transcription of the article records its own reading of each doubtful value. Its notes, as written there:'));
    blocks.push(bullets(m.published.notes.map((n) => [{ code: n.id }, ` (${n.kind}). ${n.reasoning} `, { em: n.recommendation }])));
  }
  return blocks;
}

function auditWhere(L: Labels, r: AuditRow): string {
  if (r.claim) return r.claim;
  const parts = [r.table ? `Table ${r.table}` : '', r.area, r.theme, r.predictor ? L.predictorLabel(r.predictor) : '', r.item, r.outcome, r.term ? r.term.split(' ').map(L.termLabel).join('/') : '', r.printed ? `printed ${r.printed}` : ''];
  return parts.filter(Boolean).join(', ');
}

function closing(m: Model): Block[] {
  return [
    heading(2, 'Data availability', 'sec-data-availability'),
    paragraph(
      m.synthetic
        ? 'The councils\' panel responses are not redistributed. The exports in raw/ are a synthetic replica made by the project\'s generator (tools/synth/, npm run synth); anyone with access to the original exports can place them in raw/<wave>/ with their codebooks and rerun the pipeline. '
        : 'The panel exports in raw/ are the data this report was computed from. ',
      'Every table is published as CSV under ',
      { code: 'reports/tables/' },
      ', every figure as a Vega-Lite specification and an SVG drawing under ',
      { code: 'reports/figures/' },
      '.',
    ),
    heading(2, 'References', 'sec-references'),
    // Without a bibliography (render run on the tables alone) the article is still cited, from its transcription.
    m.references?.length ? bullets(m.references.map((r) => r.inlines)) : bullets([[citation(m)]]),
    ...environmentSection(m.environment),
  ];
}

/** What R users append as sessionInfo(): the runtime and the packages the numbers were computed with. */
function environmentSection(env: Environment | undefined): Block[] {
  if (!env) return [];
  const blocks: Block[] = [heading(2, 'Computing environment', 'sec-environment')];
  blocks.push(
    paragraph(
      `The numbers were computed with Node.js ${env.node.length ? env.node.map((v) => `${v}.x`).join(' and ') : '(major version not recorded)'}, with the npm packages pinned by `,
      { code: 'package-lock.json' },
      ` (sha256 ${env.lockfileHash.slice(0, 12)}, in full in `,
      { code: 'provenance.json' },
      '). ',
      env.packages.length ? `The analysis steps import ${env.packages.map(([name, version]) => `${name} ${version}`).join(', ')} (Table P4 says which step uses which). ` : '',
      `References are formatted with citation-js in the ${env.citationStyle} style. The PDF edition is printed from paper.html by headless Chromium (`,
      { code: 'npm run pdf' },
      '), which stamps its own version and date into it, so it is not part of the byte-for-byte check.',
    ),
  );
  return blocks;
}

function earlierWaves(m: Model): Block[] {
  const L = m.labels;
  const earlier = m.waves.slice(1);
  if (earlier.length === 0) return [];
  const blocks: Block[] = [heading(2, `Appendix A. Earlier waves (${list(earlier.slice().sort((a, b) => a - b).map(String))})`, 'sec-earlier-waves')];
  blocks.push(paragraph(`The tables of ${earlier.length === 1 ? 'the earlier wave' : 'each earlier wave'}, laid out as in the main text.`));
  for (const w of earlier) {
    blocks.push(heading(3, w === m.paperWave ? `Wave ${w}: the article's wave` : `Wave ${w}`, `sec-wave-${w}`));
    blocks.push(...paras(levelFindings(L, m.levels, w).slice(0, 2)));
    blocks.push(...tableIfAny(main(m, table2(L, m.levels, w, `Table 2 (${w})`, `tbl-2-${w}`), 'table2')));
    if (m.timeItems.some((r) => r.wave === w)) blocks.push(table(timeTable(L, m.timeItems, w, `Table 2a (${w})`, `tbl-2a-${w}`)));
    blocks.push(...tableIfAny(main(m, correlationTable(L, m.individual, w, 'individual', `Table 3 (${w})`, `tbl-3-${w}`, 'tables/table3.csv'), 'table3')));
    blocks.push(...tableIfAny(main(m, correlationTable(L, m.collective, w, 'collective', `Table 4 (${w})`, `tbl-4-${w}`, 'tables/table4.csv'), 'table4')));
    blocks.push(...paras(nudgeFindings(L, m.nudges, w).slice(0, 1)));
    blocks.push(...tableIfAny(nudgeTable(L, m.nudges, w, `Table 5 (${w})`, `tbl-5-${w}`)));
    if (m.experiment) blocks.push(...experimentTables(L, m.experiment, m.nudges, w));
  }
  return blocks;
}

const methods = (m: Model, latest: number): Block[] =>
  methodsSection(m.labels, { latest, info: m.experiment?.info.find((i) => i.wave === latest), provenance: m.provenance, cleaning: m.cleaning, individual: m.individual, collective: m.collective, waves: Boolean(m.waveChanges), ...(m.weighting ? { weighting: m.weighting } : {}), ...(m.estimates ? { estimates: m.estimates } : {}) });
const experiment = (m: Model, latest: number, figures: ReadonlyMap<string, Figure>): Block[] =>
  m.experiment ? experimentSection(m.labels, m.experiment, m.nudges, m.published.table5.entries, latest, m.paperWave, figures) : [];

export function paper(m: Model, figures: ReadonlyMap<string, Figure>): Block[] {
  const L = m.labels;
  const latest = m.waves[0];
  const blocks = [...front(m)];
  if (latest !== undefined) blocks.push(...dataSection(m, latest), ...methods(m, latest), ...findingsSection(m, latest, figures), ...experiment(m, latest, figures), ...(m.weighting ? weightingSection(L, m.weighting, latest, m.unweighted, m.experiment?.estimates) : []));
  else blocks.push(paragraph('The analysis tables hold no rows, so there are no findings to report.'));
  blocks.push(...reproductionSection(m, figures), ...auditSection(m), ...wavesSection(L, m.waveChanges, 5), ...closing(m), ...earlierWaves(m));
  blocks.push(heading(2, `Appendix ${m.waves.length > 1 ? 'B' : 'A'}. Provenance`, 'sec-provenance'), ...provenanceBlocks(m.sources, m.provenance));
  return blocks;
}
