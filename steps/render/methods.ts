/**
 * The report's Methods section, written from what the run actually used: the experiment step's record
 * of its parameters (experiment.json, which also carries index's minimum number of answers from the
 * scores table), the parameters in the correlate and nudge-regress provenance records, the cleaning
 * log's count of don't-know spellings, blanks and quarantined rows, and the tables' own sizes. A
 * parameter changed in pipeline.ts changes the text; nothing here is a copy of a default.
 */
import type { CleaningLog } from '../../lib/survey/cleaning-log.js';
import { bullets, heading, paragraph, type Block, type Inline } from '../../lib/report/document.js';
import type { ExperimentInfo } from '../../lib/report/experiment-inputs.js';
import type { CorrelationRow } from '../../lib/report/inputs.js';
import type { Labels } from '../../lib/report/labels.js';
import type { ProvenanceRecord } from './provenance.js';
import type { WeightingTables } from './weighting.js';
import type { Estimates } from './weighted-estimates.js';
import { count, fixed, list, numberWord } from '../../lib/report/words.js';

export interface MethodsInputs {
  latest: number;
  info: ExperimentInfo | undefined;
  provenance: readonly ProvenanceRecord[];
  cleaning: CleaningLog | undefined;
  individual: readonly CorrelationRow[];
  collective: readonly CorrelationRow[];
  /** Whether the report compares waves. */
  waves: boolean;
  /** The weights step's tables, when the run weighted. */
  weighting?: WeightingTables;
  /** Which estimates the main tables show (render's `estimates`). */
  estimates?: Estimates;
}

const VARIABLE_NAMES: Record<string, string> = { gender: 'gender', age: 'age band (entered as its code, 1-6)', ethnicity: 'ethnicity' };

/** A step's parameter as its provenance record for `wave` holds it; undefined when not recorded. */
function param(provenance: readonly ProvenanceRecord[], step: string, wave: number, name: string): unknown {
  const rec = provenance.find((r) => r.step === `${step}[${wave}]`) ?? provenance.find((r) => r.step === step);
  const params = rec?.params;
  return params && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined;
}

export function methodsSection(L: Labels, m: MethodsInputs): Block[] {
  const { latest, info } = m;
  const blocks: Block[] = [heading(2, `Methods (wave ${latest})`, 'sec-methods')];
  blocks.push(paragraph(`How each number of this report is made, as run for wave ${latest}. Parameters are read from the run's own records, so the text follows any change to them.`));

  const min = info?.min_activity_answers;
  blocks.push(heading(3, 'Measures', 'sec-methods-measures'));
  blocks.push(
    bullets([
      [{ strong: 'Individual co-production index.' }, ` For each respondent and theme, the percentage of the theme's activity items answered "often" or "sometimes" among the items answered "often", "sometimes" or "never".${min !== undefined ? ` A respondent who answered fewer than ${count(min, 'item')} has no index for that theme, so one answer never stands for the whole theme.` : ''}`],
      [{ strong: 'Collective co-production.' }, ' 100 for a respondent who joins groups with others often or sometimes, 0 for never.'],
      [{ strong: 'Willingness to give time.' }, ' 100 for at least a few hours a month, 0 for less (where an area asked instead about time given now and extra time offered, Table 2a uses the same cut).'],
      [{ strong: 'Levels (Table 2).' }, ' Means over the respondents with a value, each with a 95% interval: the t interval for the mean index, Wilson\'s score interval for the two shares (it stays within 0-100 and keeps its coverage near the ends).'],
    ]),
  );

  blocks.push(heading(3, "Don't know, refused, no answer and not asked", 'sec-methods-missing'));
  blocks.push(paragraph(...missingText(m.cleaning, latest)));

  blocks.push(heading(3, 'Correlates (Tables 3 and 4)', 'sec-methods-correlates'));
  const method = param(m.provenance, 'correlate', latest, 'method') === 'spearman' ? 'spearman' : 'pearson';
  const family = (rows: readonly CorrelationRow[]) => rows.filter((r) => r.wave === latest && r.p !== null).length;
  blocks.push(
    paragraph(
      method === 'spearman'
        ? "Spearman's rank correlation (ties share their mean rank), "
        : "Pearson's r, ",
      'over the respondents with both values (a don\'t-know answer drops the pair, not the respondent); p two-sided from t with n - 2 degrees of freedom; 95% interval by Fisher\'s z. ',
      'Benjamini-Hochberg adjusted p values control the false discovery rate within a family: the correlations of one table in one wave (',
      // Counted from the tables they size.
      { counted: String(family(m.individual)), from: 'tbl-3' },
      ' in Table 3 and ',
      { counted: String(family(m.collective)), from: 'tbl-4' },
      ` in Table 4 for wave ${latest}). Stars use the unadjusted p, as the article's do.`,
    ),
  );

  blocks.push(heading(3, "The article's nudge models (Table 5)", 'sec-methods-table5'));
  const controls = param(m.provenance, 'nudge-regress', latest, 'controls');
  const controlText = Array.isArray(controls) ? list(controls.map((c) => L.predictorLabel(String(c)).toLowerCase())) : 'every predictor of Tables 3 and 4';
  blocks.push(
    paragraph(
      `Ordinary least squares of each outcome on the three nudge dummies, with ${controlText} as controls where the area asked them, on the respondents who answered every control (listwise deletion); stars from classical standard errors, HC3 standard errors beside them in `,
      { code: 'tables/table5.csv' },
      ". Kept as the article specifies it, so that the reproduction check compares like with like; its problems as an analysis of an experiment are set out in Section 2.5.",
    ),
  );

  if (info) blocks.push(...experimentMethods(info));

  if (m.weighting) blocks.push(...weightingMethods(m, latest));

  if (m.waves) {
    const replicates = param(m.provenance, 'compare-waves', latest, 'bootstrapReplicates');
    const seed = param(m.provenance, 'compare-waves', latest, 'bootstrapSeed');
    const threshold = param(m.provenance, 'compare-waves', latest, 'smdThreshold');
    blocks.push(heading(3, 'Comparing waves', 'sec-methods-waves'));
    blocks.push(
      paragraph(
        'Respondents are followed across waves by their persistent panel ID within an area; the two waves share most of them, so they are not independent samples. ',
        'Paired changes use the members who have the outcome in both waves (paired t, 95% interval); for the collective indicator, a 0/100 answer, McNemar\'s test on the members who moved (no to yes against yes to no, continuity-corrected) stands beside it. ',
        `The change of each correlation is given twice: the difference of Fisher-z values as if the waves were independent samples, and a bootstrap over respondents that keeps the overlap${typeof replicates === 'number' ? ` (${replicates.toLocaleString('en')} replicates${typeof seed === 'number' ? `, seed ${seed}` : ''})` : ''}: in each replicate an area-theme's stayers are drawn once and enter both waves with the same draws, those in one wave only are drawn within their group; its standard error, percentile 95% interval and normal p are in the table. `,
        `Attrition compares, at baseline, the members lost by the next wave with those kept by the standardised mean difference, flagged above ${typeof threshold === 'number' ? fixed(threshold, 2) : 'the threshold'} in size, with Welch's t beside it: with a few hundred members a test that finds no difference is no evidence of none. No weight corrects for attrition, so changes describe the members who stayed. `,
        'Every comparison assumes that a question measures the same thing in both waves, so one whose question the codebooks record as changed is flagged rather than compared.',
      ),
    );
  }
  return blocks;
}

function weightingMethods(m: MethodsInputs, latest: number): Block[] {
  const areas = m.weighting!.areas.filter((a) => a.wave === latest);
  const weighted = areas.filter((a) => a.margins !== '');
  const trimLower = param(m.provenance, 'weights', latest, 'trimLower');
  const trimUpper = param(m.provenance, 'weights', latest, 'trimUpper');
  const epsilon = param(m.provenance, 'weights', latest, 'epsilon');
  const maxPasses = param(m.provenance, 'weights', latest, 'maxPasses');
  const population = [...new Set(weighted.map((a) => a.population))];
  const joint = weighted.some((a) => a.margins.includes(' x '));
  const trimming =
    typeof trimLower === 'number' || typeof trimUpper === 'number'
      ? ` Weights are then trimmed to ${typeof trimLower === 'number' ? `${fixed(trimLower, 2)}` : '0'}-${typeof trimUpper === 'number' ? fixed(trimUpper, 2) : 'any'} times their mean, what is cut being spread over the others (survey::trimWeights).`
      : ' Weights are not trimmed.';
  return [
    heading(3, 'Weighting (Section 2.6)', 'sec-methods-weighting'),
    paragraph(
      `Each area's respondents are raked (iterative proportional fitting, as R's survey::rake) to the population totals of the demographics the area asked, ${joint ? 'a margin being one variable or the cells of several crossed (a joint margin, raked as survey::rake takes a table of cells; where an area did not ask one of its variables, the cells are summed over it)' : 'one margin each'}: ${list([...new Set(weighted.map((a) => a.margins.replace(/_/g, ' ').replace(/ \+ /g, ' and ')))])}. `,
      `Raking stops when no cell of the margins' cross-table moves by ${typeof epsilon === 'number' ? `${epsilon} of the total weight` : 'the tolerance'} in a pass${typeof maxPasses === 'number' ? `, or after ${maxPasses} passes (reported as not converged)` : ''}; a respondent missing one of those answers gets no weight and is left out of the weighted estimates.${trimming} `,
      `The margins are ${population.includes('synthetic') ? "the replica's synthetic population, stated in raw/population-margins.json; a research team replaces them with census totals" : `from ${list(population)}`}. `,
      `Weighted levels are design-based: the weighted mean and its linearised standard error for independent respondents, with the raking's calibration taken into account (as svymean on the raked design), and a normal 95% interval. Weighted correlations are the weighted Pearson r of a theme's complete pairs (as svyvar on the raked design, then cov2cor), with a delta-method standard error on the linearised variance of the weighted covariances (as svycontrast), a 95% interval by Fisher's z and a Wald test on the normal. Kish's design effect, n times the sum of squared weights over the squared sum, gives the precision weighting costs. `,
      m.estimates === 'weighted'
        ? 'Tables 2 to 4 show the weighted estimates (render.estimates = weighted) for the weighted areas; Section 2.6 sets the unweighted ones beside them, and the reproduction check compares the unweighted recomputation with the article.'
        : "The paper's tables stay unweighted; Section 2.6 shows how far weighting moves them.",
    ),
  ];
}

function missingText(cleaning: CleaningLog | undefined, wave: number): Inline[] {
  // A log without per-column tallies (an older or hand-made one) gives no counts rather than zeros.
  const files = Object.values(cleaning?.files ?? {}).filter((f) => f.wave === wave && f.columns);
  const spellings = new Map<string, number>();
  let blanks = 0;
  for (const f of files)
    for (const c of Object.values(f.columns)) {
      blanks += c.blank;
      for (const [s, n] of Object.entries(c.dont_know)) spellings.set(s, (spellings.get(s) ?? 0) + n);
    }
  const quarantined = files.reduce((s, f) => s + (f.quarantined ?? 0), 0);
  const found = [...spellings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([s, n]) => `"${s}" (${n} cells)`);
  const refusal = [...spellings.keys()].filter((s) => /refus|prefer not/.test(s));
  return [
    'An answer a codebook lists as don\'t know',
    files.length ? ` (in wave ${wave}: ${list(found, 'none found')})` : '',
    ' and a blank cell (no answer',
    files.length ? `: ${blanks} cells in wave ${wave}` : '',
    ') are not answers. They count in neither the numerator nor the denominator of the individual index, and leave the collective and willingness measures, and any predictor, missing for that respondent and theme; no value is imputed. ',
    refusal.length
      ? `Refusals are among the labels the codebooks count as don't know (${list(refusal.map((s) => `"${s}"`))}). `
      : 'The exports carry no separate refusal code: a refusal would have to be listed by its codebook as don\'t know, or, as an unknown label, stop the run or send its row to quarantine as the codebook says. ',
    files.length ? `${capitalise(numberWord(quarantined, 'no'))} row${quarantined === 1 ? ' was' : 's were'} quarantined in wave ${wave}. ` : '',
    'A question an area did not ask is absent from its records: its cells print "-" and it is never counted as zero or as a non-answer.',
  ];
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function experimentMethods(info: ExperimentInfo): Block[] {
  const asked = info.pre_treatment.map((a) => `${a.area}: ${a.asked.length ? list(a.asked.map((v) => VARIABLE_NAMES[v] ?? v)) : 'none'}`);
  const fam = info.families.map((f) => `${f.contrasts} ${f.specification} arm contrasts in ${count(f.models, 'model')}`);
  return [
    heading(3, 'The nudge experiment (Section 2.5)', 'sec-methods-experiment'),
    bullets([
      [{ strong: 'Arms.' }, ' No nudge (the reference), nudge A, nudge B and both, as randomised; a respondent without an arm is left out. One model per area, theme and outcome (individual index, collective measure).'],
      [{ strong: 'Estimates.' }, ` The primary estimate is unadjusted: OLS of the outcome on the three arm dummies over every randomised respondent with the outcome, i.e. differences in means. The adjusted estimate adds pre-treatment variables only (${list(info.adjust_for.map((v) => VARIABLE_NAMES[v] ?? v))}, where asked; listwise on them), never the attitude questions, which follow the nudge text and may have been moved by it. Pre-treatment variables asked, by area: ${asked.join('; ')}.`],
      [{ strong: 'Standard errors and tests.' }, ` HC3 heteroskedasticity-consistent standard errors (as R's sandwich::vcovHC with type "HC3") for every test and interval, with t on the model's residual degrees of freedom; stars ** p < .01, * p < .05. The joint test that all three arms equal no nudge is a Wald test from the HC3 matrix, F form.`],
      [{ strong: 'Multiple testing.' }, ` Benjamini-Hochberg (false discovery rate) and Holm (family-wise error) adjusted p over a family: every arm contrast of one specification in one wave (wave ${info.wave}: ${list(fam)}).`],
      [{ strong: 'Balance.' }, ' Per pre-treatment variable: the mean by arm, the standardised difference of each arm from no nudge (difference of means over the root mean of the two variances), and the HC3 Wald F test of the three arms; all variables at once by the HC3 Wald chi-square test of the multivariate regression on the arms.'],
      [{ strong: 'Power.' }, ` Minimum detectable effect at ${fixed(info.power * 100, 0)}% power and ${fixed(info.alpha * 100, 0)}% two-sided: (t(1 - alpha/2) + t(power)) x residual SD x sqrt(1/n_arm + 1/n_none), with the unadjusted model's residual SD, degrees of freedom and arm sizes (a closed form that R's power.t.test, solving the noncentral t exactly, matches to about one part in ten thousand for equal arms of 100).`],
    ]),
  ];
}
