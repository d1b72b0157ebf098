/**
 * The experiment step's tables (balance.csv, experiment.csv, power.csv) as schemas/experiment.tables.json
 * describes them, and what experiment.json holds (schemas/experiment-info.schema.json): the shapes the
 * report reads.
 */
import type { Artifact } from '../../contract/step.js';
import infoSchema from '../../schemas/experiment-info.schema.json' with { type: 'json' };
import tables from '../../schemas/experiment.tables.json' with { type: 'json' };
import { readChecked } from './read-json.js';
import { headerOf, tableContract } from './table-contract.js';

export const BALANCE = tableContract(tables, 'balance.csv');
export const ESTIMATES = tableContract(tables, 'experiment.csv');
export const POWER = tableContract(tables, 'power.csv');
export const BALANCE_HEADER = headerOf(BALANCE);
export const EXPERIMENT_HEADER = headerOf(ESTIMATES);
export const POWER_HEADER = headerOf(POWER);

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
