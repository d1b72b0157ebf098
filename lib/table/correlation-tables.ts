/**
 * The tables correlate writes, as schemas/correlate.tables.json describes them: Tables 3 and 4 (read by
 * figures and render) and their r unrounded (read by compare-waves).
 */
import spec from '../../schemas/correlate.tables.json' with { type: 'json' };
import { headerOf, tableContract } from './table-contract.js';

export const TABLE3 = tableContract(spec, 'table3.csv');
export const TABLE4 = tableContract(spec, 'table4.csv');
export const TABLE3_R = tableContract(spec, 'table3-r.csv');
export const TABLE4_R = tableContract(spec, 'table4-r.csv');
export const CORRELATION_HEADER = headerOf(TABLE3);
export const EXACT_HEADER = headerOf(TABLE3_R);
