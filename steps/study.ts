/**
 * study: raw/study.json → the study, checked once and split by what reads it.
 *
 *   raw/study.json ── schema, rules (survey/study.ts: file, line, path, value) ─┬─ design.json  (clean, validate, index)
 *                                                                               └─ study.json   (figures, render)
 *
 * design.json is the study without what only the report shows (row labels, phrases, short headings,
 * Table 1's facts, the title); study.json is all of it. So an edit of a label or a fact re-runs the
 * figures and the report alone, while a new area, theme or question re-runs everything it feeds.
 */
import type { StepInputs, StepOutputs } from '../contract/step.js';
import { designOnly, studyInput, writeStudy } from '../lib/survey/study.js';

export default function study(inputs: StepInputs): StepOutputs {
  const s = studyInput(inputs);
  return { 'design.json': writeStudy(designOnly(s)), 'study.json': writeStudy(s) };
}
