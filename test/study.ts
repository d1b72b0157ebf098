/** The shipped study description (raw/study.json), loaded once, for tests that need the study's names. */
import { readFileSync } from 'node:fs';
import { artifact } from '../runner/step.js';
import { loadStudy } from '../steps/survey/study.js';

export const studyText = readFileSync(new URL('../raw/study.json', import.meta.url), 'utf8');
export const study = loadStudy(artifact('raw/study.json', studyText));
/** The study as a step input. */
export const studyArtifact = () => artifact('raw/study.json', studyText);
