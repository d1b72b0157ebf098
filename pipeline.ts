/**
 * The pipeline, declared as data. The runner (runner/) reads this file, works out what is stale,
 * and runs only that; each step is a pure function in steps/ of its inputs and parameters.
 *
 *   once:        raw/study.json → study → design/<area>.json (clean, validate), design.json (index), study.json (figures, render)
 *   per export:  raw/<wave>/<area>.csv (or .sav, .zsav, .xlsx) + the codebook version for that wave → clean → validate
 *   per wave:    validate[wave, every area] → index → correlate, nudge-regress, experiment → figures
 *                index, correlate, clean, validate of this wave and the one before → compare-waves
 *   once:        every wave's tables, figures and comparisons + raw/published-tables.json → render → reports/
 *
 * Waves and areas come from the exports on disk, raw/<wave>/<area>.<ext> (the `wave` and `area`
 * wildcards), names matched whatever their case; a stray, second or misnamed file stops the run before
 * any step. clean and validate run once per export (`clean[2013,barnet]`), the analysis once per
 * wave (`index[2013]`), and render gathers every wave: a new wave's folder, or one council's
 * corrected export, runs only the branches it feeds, and everything else comes from the cache.
 *
 * `npm run pipeline -- dag` prints this graph from the declaration itself.
 */
import { definePipeline, output, provenance, raw, step } from './runner/dag.js';
import { EXPORTS_PATTERN } from './lib/survey/exports.js';

/**
 * What the report is drawn from. The figures step reads it per wave (its own wave's tables); render,
 * which does not fan out, reads the same declarations gathered over every wave.
 */
const analysisTables = {
  table2: output('index', 'table2.csv'),
  timeItems: output('index', 'time-items.csv'),
  table3: output('correlate', 'table3.csv'),
  table4: output('correlate', 'table4.csv'),
  table5: output('nudge-regress', 'table5.csv'),
  // The experiment analysed as randomised (balance, estimates, power) and the parameters it used.
  balance: output('experiment', 'balance.csv'),
  experiment: output('experiment', 'experiment.csv'),
  power: output('experiment', 'power.csv'),
  experimentInfo: output('experiment', 'experiment.json'),
  published: raw('raw/published-tables.json'),
  // The study's names, labels and the facts Table 1 prints about each area.
  study: output('study', 'study.json'),
  cleaning: output('clean', 'cleaning-log.json'),
  validation: output('validate', 'validation-report.json'),
};
/** The wave the article reports, and how close a recomputed value must be to count as reproduced. */
const reproduction = { paperWave: 2013, tolerances: { table2: 1, correlation: 0.02, table5: 0.5 } };
const reproductionSchema = {
  paperWave: { type: 'integer', description: 'the wave whose values are set beside the published ones' },
  tolerances: {
    properties: {
      table2: { type: 'number', minimum: 0, description: 'percentage points a recomputed Table 2 value may be off and still count as within tolerance' },
      correlation: { type: 'number', minimum: 0, description: 'the same, for the correlations of Tables 3 and 4' },
      table5: { type: 'number', minimum: 0, description: 'the same, for the coefficients of Table 5' },
    },
  },
};

export default definePipeline([
  step('study', {
    description: 'check the study description (raw/study.json) once, and split off what only the report shows',
    module: 'steps/study.ts',
    inputs: { study: raw('raw/study.json'), schema: raw('schemas/study.schema.json') },
  }),
  step('clean', {
    description: 'harmonise every council export into canonical respondent records, driven by the codebooks',
    module: 'steps/clean.ts',
    forEach: ['wave', 'area'],
    inputs: {
      exports: raw(EXPORTS_PATTERN, { ignoreCase: true }),
      // The area's codebook version that applies to this wave: barnet.json from the first wave,
      // barnet.2014.json from 2014 on. Each branch's key holds only its own version.
      codebooks: raw('raw/codebooks/{area}.json', { versionedBy: 'wave' }),
      codebookSchema: raw('schemas/codebook.schema.json'),
      // The study as it concerns this area: the variables it asks and their scales, the experiment's
      // arms. One file per area, so a new area leaves the other areas' branches cached.
      study: output('study', 'design/{area}.json'),
    },
  }),
  step('validate', {
    description: 'check every record against the record schema generated from raw/study.json and for repeated IDs; set rejects aside with their reasons',
    module: 'steps/validate.ts',
    forEach: ['wave', 'area'],
    inputs: {
      records: output('clean', 'records.arrow'),
      quarantine: output('clean', 'quarantine.ndjson'),
      log: output('clean', 'cleaning-log.json'),
      study: output('study', 'design/{area}.json'),
    },
    // Per export file: more rejects than this fails the run rather than quietly shrinking the sample.
    params: { maxRejectRate: 0.02 },
    paramSchema: { maxRejectRate: { type: 'number', minimum: 0, maximum: 1, description: 'share of an export\'s rows that may be rejected before the run stops' } },
  }),
  step('index', {
    description: 'score each respondent and theme: individual index, collective indicator, willingness; Table 2',
    module: 'steps/index.ts',
    forEach: ['wave'],
    // The study's areas, themes, predictors and demographics: their order is the tables', and the scores
    // table carries them on to every step that reads it.
    inputs: { records: output('validate', 'valid.arrow'), study: output('study', 'design.json') },
  }),
  step('correlate', {
    description: 'Tables 3 and 4: correlates of individual and collective co-production, with CIs and BH-adjusted p',
    module: 'steps/correlate.ts',
    forEach: ['wave'],
    inputs: { scores: output('index', 'scores.arrow') },
    params: { method: 'pearson' },
    // -S correlate.method=spearman: every table, caption and sentence downstream follows the tables' method column.
    paramSchema: { method: { type: 'string', enum: ['pearson', 'spearman'], description: 'the coefficient of Tables 3 and 4' } },
  }),
  step('nudge-regress', {
    description: 'Table 5: OLS of each index on the nudge groups with the predictors as controls, classical and HC3 SEs',
    module: 'steps/nudge-regress.ts',
    forEach: ['wave'],
    inputs: { scores: output('index', 'scores.arrow') },
  }),
  step('experiment', {
    description: 'the nudge experiment as an experiment: pre-treatment balance, unadjusted and adjusted HC3 estimates with joint Wald tests and BH/Holm, minimum detectable effects',
    module: 'steps/experiment.ts',
    forEach: ['wave'],
    inputs: { scores: output('index', 'scores.arrow') },
    params: { adjustFor: ['gender', 'age', 'ethnicity'], alpha: 0.05, power: 0.8 },
  }),
  step('weights', {
    description: "raking weights per area to the population margins, and the wave's levels and correlations re-estimated with them (a sensitivity analysis)",
    module: 'steps/weights.ts',
    forEach: ['wave'],
    inputs: {
      scores: output('index', 'scores.arrow'),
      margins: raw('raw/population-margins.json'),
      marginsSchema: raw('schemas/population-margins.schema.json'),
    },
    params: { trimLower: null, trimUpper: null, epsilon: 1e-9, maxPasses: 50 },
    paramSchema: {
      trimLower: { type: ['number', 'null'], exclusiveMinimum: 0, description: 'trim weights below this multiple of their mean' },
      trimUpper: { type: ['number', 'null'], exclusiveMinimum: 0, description: 'trim weights above this multiple of their mean' },
      epsilon: { type: 'number', exclusiveMinimum: 0, description: 'raking tolerance, as a share of the total weight' },
      maxPasses: { type: 'integer', minimum: 1, description: 'raking passes before giving up' },
    },
  }),
  step('figures', {
    description: "one wave's figures (Vega-Lite specs drawn as SVG), drawn once per wave and reused by render",
    module: 'steps/figures.ts',
    forEach: ['wave'],
    inputs: analysisTables,
    params: reproduction,
    paramSchema: reproductionSchema,
  }),
  step('compare-waves', {
    description: 'each wave against the one before: retention, paired change (t, McNemar), correlation change (Fisher z, bootstrap over the overlapping samples), attrition (SMD); rejects bad waves',
    module: 'steps/compare-waves.ts',
    // Once per wave, reading that wave and the previous one: a new wave adds one comparison, and the
    // comparisons of earlier pairs stay cached. The first wave has nothing to compare with.
    forEach: ['wave'],
    inputs: {
      scores: [output('index', 'scores.arrow', { previous: true }), output('index', 'scores.arrow')],
      // r unrounded: the tables' 6 decimals would shift the Fisher z of a change.
      tables3: [output('correlate', 'table3-r.csv', { previous: true }), output('correlate', 'table3-r.csv')],
      tables4: [output('correlate', 'table4-r.csv', { previous: true }), output('correlate', 'table4-r.csv')],
      cleaning: [output('clean', 'cleaning-log.json', { previous: true }), output('clean', 'cleaning-log.json')],
      validation: [output('validate', 'validation-report.json', { previous: true }), output('validate', 'validation-report.json')],
      // The raw files' hashes, to catch an export repeated unchanged from the previous wave.
      cleanProvenance: [provenance('clean', { previous: true }), provenance('clean')],
    },
    params: { bootstrapReplicates: 1000, bootstrapSeed: 20130601, smdThreshold: 0.1 },
    paramSchema: {
      bootstrapReplicates: { type: 'integer', minimum: 0, description: "bootstrap replicates for each correlation's change (0: none)" },
      bootstrapSeed: { type: 'integer', minimum: 1, maximum: 4294967295, description: "seed of the bootstrap's draws" },
      smdThreshold: { type: 'number', exclusiveMinimum: 0, description: 'standardised mean difference above which attrition is flagged' },
    },
  }),
  step('render', {
    description: 'the regenerated paper (Markdown, HTML), figures, tables, reproduction check, audit, provenance',
    module: 'steps/render.ts',
    inputs: {
      ...analysisTables,
      panel: output('compare-waves', 'panel.csv'),
      pairedChanges: output('compare-waves', 'paired-changes.csv'),
      correlationChanges: output('compare-waves', 'correlation-changes.csv'),
      attrition: output('compare-waves', 'attrition.csv'),
      figures: output('figures', 'figures.json'),
      weighting: output('weights', 'weighting.csv'),
      weightedLevels: output('weights', 'table2-weighted.csv'),
      weightedCorrelations: output('weights', 'correlations-weighted.csv'),
      weightedExperiment: output('weights', 'experiment-weighted.csv'),
      // The bibliography, formatted by citation-js; the lockfile, whose hash the paper's computing environment names.
      references: raw('raw/references.bib'),
      lockfile: raw('package-lock.json'),
      provenance: [
        provenance('study'),
        provenance('clean'),
        provenance('validate'),
        provenance('index'),
        provenance('correlate'),
        provenance('nudge-regress'),
        provenance('experiment'),
        provenance('weights'),
        provenance('figures'),
        provenance('compare-waves'),
      ],
    },
    // -S render.estimates=weighted: Tables 2-4, their figures and findings show the weights step's estimates; the unweighted ones move to Section 2.6.
    params: { ...reproduction, estimates: 'unweighted' },
    paramSchema: { ...reproductionSchema, estimates: { type: 'string', enum: ['unweighted', 'weighted'], description: 'the estimates Tables 2-4 show: unweighted (the paper\'s) or weighted (raked to the population margins)' } },
    publish: 'reports',
    // Printed from paper.html by `npm run pdf` (headless Chromium, which stamps dates into it): not render's, not checked byte for byte.
    publishKeeps: ['paper.pdf'],
  }),
], {
  wildcards: [EXPORTS_PATTERN],
  // Checked before any step runs: one export per area and wave, named for an area of the study
  // whatever its case and format; a stray copy or a file in another format in a wave folder stops the run.
  wildcardRules: {
    [EXPORTS_PATTERN]: {
      ignoreCase: true,
      unique: true,
      noOtherFiles: true,
      // The areas are those the study description names (the study step checks the file itself).
      allowed: { wave: /^[0-9]{4}$/, area: { file: 'raw/study.json', values: (study) => ((study as { areas?: { slug?: string }[] }).areas ?? []).map((a) => String(a.slug)) } },
    },
  },
});
