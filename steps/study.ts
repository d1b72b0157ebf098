/**
 * study: raw/study.json → the study, checked once and split by what reads it.
 *
 *   raw/study.json ── schema, rules (survey/study.ts: file, line, path, value) ─┬─ design/<slug>.json  (clean, validate: one area)
 *                                                                               ├─ design.json         (index)
 *                                                                               └─ study.json          (figures, render)
 *
 * design.json is the study without what only the report shows (row labels, phrases, short headings,
 * Table 1's facts, the title); study.json is all of it; design/<slug>.json is design.json narrowed to
 * one area, without the outcomes. So an edit of a label or a fact re-runs the figures and the report
 * alone, a new area runs its own clean and validate branches and the analysis, and a new theme or
 * question re-runs the branches of the area that asks it and everything they feed.
 */
import type { StepInputs, StepOutputs } from '../contract/step.js';
import { areaDesignOnly, designOnly, studyInput, writeStudy } from '../lib/survey/study.js';

export default function study(inputs: StepInputs): StepOutputs {
  const s = studyInput(inputs);
  const perArea = Object.fromEntries(s.design.map((d) => [`design/${d.slug}.json`, writeStudy(areaDesignOnly(s, d.area))]));
  return { 'design.json': writeStudy(designOnly(s)), 'study.json': writeStudy(s), ...perArea };
}
