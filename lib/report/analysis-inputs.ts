/**
 * Reading what the analysis steps wrote, shared by render and the per-wave figures step: per-wave
 * tables put together under one header, cleaning logs and validation reports merged, the published
 * values, and the reproduction check against the wave the article reports.
 */
import { DataError, type Artifact, type StepInputs } from '../../contract/step.js';
import { readCleaningLog } from '../survey/cleaning-log.js';
import { readValidationReport } from '../survey/validation-report.js';
import { readExperiment } from './experiment-inputs.js';
import { gatherCsv, mergeCleaningLogs, mergeValidationReports } from './gather.js';
import { readCorrelations, readLevels, readNudges, readTimeItems, wavesOf } from './inputs.js';
import { TABLE4 } from '../table/correlation-tables.js';
import { readPublished } from './published.js';
import { DEFAULT_TOLERANCES, reproduce, type Tolerances } from './reproduction.js';
import { respondentsByArea } from './respondents.js';
import { studyLabels } from './labels.js';
import { studyInput } from '../survey/study.js';
import { analysisVocabulary, itemOutcomes } from '../survey/analysis-vocabulary.js';

export interface RenderParams {
  /** The wave the article reports, which the reproduction check compares with (2013). */
  paperWave?: number;
  tolerances?: Partial<Tolerances>;
  /** Which estimates the main tables show: the unweighted ones (default) or the weights step's. */
  estimates?: 'unweighted' | 'weighted';
}

/** The analysis as render and the figures step read it: per-wave tables gathered, logs merged, published values, reproduction. */
export function readAnalysis(inputs: StepInputs, params: RenderParams) {
  // The study's names and labels, handed to whatever reads, sorts or labels by them.
  const study = studyInput(inputs);
  const labels = studyLabels(study);
  // Per-wave inputs (one artifact per wave) are put together; sources keep the per-wave parts.
  const gathered = {
    table2: gatherCsv(inputs, 'table2'),
    timeItems: gatherCsv(inputs, 'timeItems'),
    table3: gatherCsv(inputs, 'table3'),
    table4: gatherCsv(inputs, 'table4'),
    table5: gatherCsv(inputs, 'table5'),
  };
  const files = {
    table2: gathered.table2.merged,
    timeItems: gathered.timeItems.merged,
    table3: gathered.table3.merged,
    table4: gathered.table4.merged,
    table5: gathered.table5.merged,
    published: oneInput(inputs, 'published'),
  };
  const cleaningArts = inputs.cleaning ?? [];
  const validationArts = inputs.validation ?? [];
  const cleaning = mergeCleaningLogs(cleaningArts.map(readCleaningLog));
  const validation = mergeValidationReports(validationArts.map(readValidationReport));
  const levels = readLevels(files.table2);
  const timeItems = readTimeItems(files.timeItems, new Set(itemOutcomes(analysisVocabulary(study))));
  const individual = readCorrelations(files.table3);
  const collective = readCorrelations(files.table4, TABLE4);
  const nudges = readNudges(files.table5, labels.terms());
  const published = readPublished(files.published);
  const tolerances = { ...DEFAULT_TOLERANCES, ...params.tolerances };
  const paperWave = params.paperWave ?? 2013;
  const waves = wavesOf(levels, timeItems, individual, collective, nudges);
  const counts = respondentsByArea(cleaning, validation, levels);
  const comparisons = reproduce({ published, wave: paperWave, levels, timeItems, individual, collective, nudges, counts, tolerances });
  // The experiment's tables, when given (render and the figures step are also run on the paper's tables alone).
  const experiment = readExperiment(inputs, analysisVocabulary(study).arms.map((a) => a.name));
  return { labels, gathered, files, cleaningArts, validationArts, cleaning, validation, levels, timeItems, individual, collective, nudges, published, tolerances, paperWave, waves, counts, comparisons, experiment };
}

function oneInput(inputs: StepInputs, name: string): Artifact {
  const list = inputs[name] ?? [];
  if (list.length !== 1) throw new DataError(`expected exactly one "${name}" input, got ${list.length}`, { value: list.map((a) => a.path) });
  return list[0]!;
}
