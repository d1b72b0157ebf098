/**
 * The experiment step's tables (balance.csv, experiment.csv, power.csv) as schemas/experiment.tables.json
 * describes them, and what experiment.json holds (schemas/experiment-info.schema.json): the shapes the
 * report reads.
 */
import type { Artifact } from '../../contract/step.js';
import infoSchema from '../../schemas/experiment-info.schema.json' with { type: 'json' };
import tables from '../../schemas/experiment.tables.json' with { type: 'json' };
import { readChecked } from './read-json.js';
import { headerOf, tableContract, type ColumnSpec, type TableContract } from './table-contract.js';

export const BALANCE = tableContract(tables, 'balance.csv');
export const ESTIMATES = tableContract(tables, 'experiment.csv');
export const POWER = tableContract(tables, 'power.csv');
export const EXPERIMENT_HEADER = headerOf(ESTIMATES);
export const POWER_HEADER = headerOf(POWER);

/** An arm's suffix in the balance table's columns: its name in lower case (`n_none`, `mean_a`). */
export const armColumn = (arm: string): string => arm.toLowerCase();

const PER_ARM = /^(n|mean|smd)_/;

/**
 * balance.csv's contract for the study's arms (the control first): the schema's columns, with the
 * per-arm ones (respondents and mean per arm, each treatment arm's standardised difference against the
 * control) generated from the arms; an arm the schema does not describe gets a description naming it.
 */
export function balanceContract(arms: readonly string[]): TableContract {
  const described = new Map(BALANCE.columns.map((c) => [c.name, c]));
  const first = BALANCE.columns.findIndex((c) => PER_ARM.test(c.name));
  const after = BALANCE.columns.filter((c, i) => i > first && !PER_ARM.test(c.name));
  const [control, ...treated] = arms;
  const column = (name: string, type: string, description: string): ColumnSpec => described.get(name) ?? { name, type, description };
  return {
    ...BALANCE,
    columns: [
      ...BALANCE.columns.slice(0, first),
      ...arms.map((a) => column(`n_${armColumn(a)}`, 'integer', `of them, in arm ${a}`)),
      ...arms.map((a) => column(`mean_${armColumn(a)}`, 'number', `mean in arm ${a}, 4 decimals`)),
      ...treated.map((a) => column(`smd_${armColumn(a)}`, 'number', `standardised difference of arm ${a} against ${control}, 4 decimals`)),
      ...after,
    ],
  };
}

/** balance.csv's header for the study's arms (the control first). */
export const balanceHeader = (arms: readonly string[]): readonly string[] => headerOf(balanceContract(arms));

/** What experiment.json holds. */
export interface ExperimentInfo {
  wave: number;
  min_activity_answers: number;
  alpha: number;
  power: number;
  adjust_for: string[];
  /** Per experimental area, the pre-treatment variables it asked (in the order above). */
  pre_treatment: { area: string; asked: string[] }[];
  families: { specification: string; contrasts: number; models: number }[];
}

/** experiment.json as experiment wrote it, checked against schemas/experiment-info.schema.json. */
export const readExperimentInfo = (art: Artifact): ExperimentInfo => readChecked<ExperimentInfo>(art, infoSchema);
