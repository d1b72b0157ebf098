/** The shipped study description (raw/study.json), loaded once, for tests that need the study's names. */
import { readFileSync } from 'node:fs';
import { artifact } from '../contract/step.js';
import { loadStudy } from '../lib/survey/study.js';
import { analysisVocabulary } from '../lib/survey/analysis-vocabulary.js';
import { studyLabels } from '../lib/report/labels.js';

export const studyText = readFileSync(new URL('../raw/study.json', import.meta.url), 'utf8');
export const study = loadStudy(artifact('raw/study.json', studyText));
/** The analysis vocabulary index derives from it and writes into the scores table. */
export const vocabulary = analysisVocabulary(study);
/** The study as a step input. */
export const studyArtifact = () => artifact('raw/study.json', studyText);
/** The report's labels of the shipped study, as render builds them. */
export const labels = studyLabels(study);
