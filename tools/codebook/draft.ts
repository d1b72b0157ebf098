/**
 * Drafts a codebook from an export: every column with its variable label and its distinct answers,
 * and where the name, the label or the answers make it likely, a guessed variable and label mapping.
 * Every column carries "review" notes saying what was guessed, and the codebook is marked "draft": true,
 * which clean refuses until a person has checked it against the questionnaire.
 */
import { normaliseLabel } from '../../lib/survey/codebook.js';
import type { ExportColumn, ExportTable } from '../../lib/survey/readers/index.js';
import type { Area, Theme } from '../../lib/survey/vocabulary.js';
import { DONT_KNOW_WORDINGS, DRAFT_SCALES, codeFor, type DraftScale, type Guess } from './answers.js';
import { guessVariable } from './guess-variable.js';

export interface DraftColumn {
  variable: string;
  question?: string;
  labels?: Record<string, Guess | 'refused' | null>;
  numeric?: boolean;
  answers: string[];
  review: string[];
}

export interface DraftCodebook {
  $schema: string;
  draft: true;
  area: Area;
  synthetic: boolean;
  docs: string[];
  dont_know: string[];
  on_unknown: 'error';
  sheet?: string;
  columns: Record<string, DraftColumn>;
}

/** More distinct answers than this is an identifier or free text: only a sample is listed. */
const MAX_ANSWERS = 40;
/** Wordings that mean "no answer given" (often an SPSS user-missing code): mapped to blank. */
const NO_ANSWER = /^(no answer|not answered|missing|not asked|n\/a)$/;
/** Wordings of a refusal: mapped to "refused" (records code -2), which a codebook keeps apart from no answer. */
const REFUSAL = /^(refused|prefer not to say|declined to answer)$/;

export function draftCodebook(table: ExportTable, area: Area, command: string): DraftCodebook {
  const dontKnow = new Set<string>();
  const columns: Record<string, DraftColumn> = {};
  const idColumn = identifierColumn(table);
  let previous: Theme | undefined;
  table.columns.forEach((column, c) => {
    const answers = distinctAnswers(table, column, c);
    const draft = c === idColumn ? identifier(column, answers) : answerColumn(column, answers, dontKnow, previous);
    if (draft.theme) previous = draft.theme;
    columns[column.name] = draft.column;
  });
  return {
    $schema: '../../schemas/codebook.schema.json',
    draft: true,
    area,
    synthetic: false,
    docs: [
      `DRAFT written by \`${command}\`. Each column's "review" notes say what was guessed from the file. Check every one against the questionnaire, then delete "draft", every "review" and "answers", and set "synthetic".`,
    ],
    dont_know: dontKnow.size ? [...dontKnow].sort() : ["don't know"],
    on_unknown: 'error',
    ...(table.sheet ? { sheet: table.sheet } : {}),
    columns,
  };
}

/** Distinct non-blank answers as written: a .sav's value labels first (in code order), then what the cells add. */
function distinctAnswers(table: ExportTable, column: ExportColumn, c: number): string[] {
  const seen = new Set<string>((column.values ?? []).map((v) => v.label));
  const found = new Set<string>();
  for (const row of table.rows) {
    const cell = row.cells[c] ?? '';
    if (cell.trim() !== '' && !seen.has(cell)) found.add(cell);
  }
  return [...seen, ...[...found].sort(byText)];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const wholeNumber = (s: string) => /^-?\d+$/.test(s.trim());

/**
 * The identifier: the first column where nearly every row (99%) holds a different value, preferring one
 * named like an identifier. Not every row: a repeated ID is a mess the pipeline reports, not a reason to miss it.
 */
function identifierColumn(table: ExportTable): number {
  const unique = table.columns
    .map((_, c) => c)
    .filter((c) => {
      const values = new Set(table.rows.map((r) => r.cells[c] ?? ''));
      return table.rows.length > 1 && values.size >= Math.max(2, 0.99 * table.rows.length) && !values.has('');
    });
  const named = unique.find((c) => /\b(id|ref|reference|serial|resp ?no|respondent)\b/i.test(table.columns[c]!.name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ')));
  return named ?? unique[0] ?? -1;
}

function identifier(column: ExportColumn, answers: string[]): { column: DraftColumn; theme?: Theme } {
  return {
    column: {
      variable: 'respondent_id',
      ...(column.label ? { question: column.label } : {}),
      answers: answers.length > MAX_ANSWERS ? answers.slice(0, 3) : answers,
      review: [`respondent_id guessed: ${answers.length} different values, one per row or nearly`],
    },
  };
}

function answerColumn(column: ExportColumn, answers: string[], dontKnow: Set<string>, previous: Theme | undefined): { column: DraftColumn; theme?: Theme } {
  const review: string[] = [];
  const labels: Record<string, Guess | 'refused' | null> = {};
  const missingLabels = new Set((column.values ?? []).filter((v) => v.missing).map((v) => normaliseLabel(v.label)));
  const normalised = [...new Set(answers.map(normaliseLabel))];
  const substantive: string[] = [];
  for (const label of normalised) {
    if (DONT_KNOW_WORDINGS.has(label)) dontKnow.add(label);
    else if (REFUSAL.test(label)) {
      labels[label] = 'refused';
      review.push(`"${label}" ${missingLabels.has(label) ? 'is a user-missing code' : 'reads as a refusal'}: mapped to refused`);
    } else if (NO_ANSWER.test(label)) {
      labels[label] = null;
      review.push(`"${label}" ${missingLabels.has(label) ? 'is a user-missing code' : 'reads as no answer'}: mapped to blank`);
    } else substantive.push(label);
  }

  const scale = bestScale(substantive);
  const guess = guessVariable(column.name, column.label, scale, previous);
  const numbers = substantive.length > 0 && substantive.every(wholeNumber);
  if (scale) {
    for (const label of substantive) {
      const code = codeFor(scale, label);
      if (code !== undefined) labels[label] = code;
    }
    review.push(`answers read as the ${scale} scale: check each code`);
  } else if (numbers) {
    const codes = substantive.map(Number).sort((a, b) => a - b);
    if (guess.variable === 'nudge' && codes.join() === '1,2,3,4') {
      Object.assign(labels, { '1': 'none', '2': 'A', '3': 'B', '4': 'both' });
      review.push('codes 1-4 read as no nudge, A, B, both: check the order');
    } else {
      const dk = codes.filter((x) => x >= 9 && /^9+$/.test(String(x)) && codes.filter((y) => y < 9).length > 0);
      for (const x of dk) labels[String(x)] = 'dont_know';
      if (dk.length) review.push(`${dk.join(', ')} read as don't know (the customary code above the scale)`);
      review.push(`codes ${codes.filter((x) => !dk.includes(x)).join(', ')} pass through as they are: check that they run as the study's scale does, not reversed`);
    }
  }
  const unmapped = substantive.filter((l) => !(l in labels) && !(numbers && !scale));
  if (unmapped.length) review.push(`not mapped: ${unmapped.slice(0, 12).map((l) => `"${l}"`).join(', ')}${unmapped.length > 12 ? ` and ${unmapped.length - 12} more` : ''}`);
  review.unshift(guess.variable ? `variable guessed from ${guess.basis}` : 'variable not guessed: set it');

  const draft: DraftColumn = {
    variable: guess.variable ?? '',
    ...(column.label ? { question: column.label } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(numbers && !scale ? { numeric: true } : {}),
    answers: answers.length > MAX_ANSWERS ? answers.slice(0, MAX_ANSWERS) : answers,
    review,
  };
  return { column: draft, ...(guess.theme ? { theme: guess.theme } : {}) };
}

/** The scale that words the most answers, if it words at least half of them. */
function bestScale(labels: string[]): DraftScale | undefined {
  if (labels.length === 0) return undefined;
  let best: DraftScale | undefined;
  let bestCount = 0;
  for (const scale of DRAFT_SCALES) {
    const n = labels.filter((l) => codeFor(scale, l) !== undefined).length;
    if (n > bestCount) [best, bestCount] = [scale, n];
  }
  return bestCount * 2 >= labels.length ? best : undefined;
}
