/**
 * The tables compare-waves writes for each pair of waves (panel.csv, paired-changes.csv,
 * correlation-changes.csv, attrition.csv), as schemas/compare-waves.tables.json describes them:
 * compare-waves writes these headers, render checks them on read.
 */
import spec from '../../schemas/compare-waves.tables.json' with { type: 'json' };
import { headerOf, tableContract } from './table-contract.js';

export const PANEL = tableContract(spec, 'panel.csv');
export const PAIRED = tableContract(spec, 'paired-changes.csv');
export const CORRELATION_CHANGES = tableContract(spec, 'correlation-changes.csv');
export const ATTRITION = tableContract(spec, 'attrition.csv');
export const PANEL_HEADER = headerOf(PANEL);
export const PAIRED_HEADER = headerOf(PAIRED);
export const CORRELATION_CHANGES_HEADER = headerOf(CORRELATION_CHANGES);
export const ATTRITION_HEADER = headerOf(ATTRITION);
