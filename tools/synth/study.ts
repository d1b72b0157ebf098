/**
 * The study the replica is generated for: the project's raw/study.json, read once. The generator is a
 * command of its own (npm run synth), not a pipeline step, so it reads the file where it lies.
 */
import { readFileSync } from 'node:fs';
import { artifact } from '../../contract/step.js';
import { loadStudy } from '../../lib/survey/study.js';

/** raw/study.json as a step input, for the steps the replica is analysed with. */
export const studyArtifact = artifact('raw/study.json', readFileSync(new URL('../../raw/study.json', import.meta.url)));
export const STUDY = loadStudy(studyArtifact);

/** The study's areas, their file names, themes and arms, as the generator and its tests name them. */
export const AREAS: readonly string[] = STUDY.areas;
export const AREA_SLUGS: Readonly<Record<string, string>> = Object.fromEntries(STUDY.design.map((d) => [d.area, d.slug]));
export const THEMES: readonly string[] = STUDY.themes;
export const NUDGES: readonly string[] = STUDY.arms.map((a) => a.name);
