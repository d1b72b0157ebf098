/**
 * The tables index writes (table2.csv, time-items.csv), as schemas/index.tables.json describes them:
 * index writes these headers, figures and render check them on read.
 */
import spec from '../../schemas/index.tables.json' with { type: 'json' };
import { headerOf, tableContract } from './table-contract.js';

export const TABLE2 = tableContract(spec, 'table2.csv');
export const TIME_ITEMS = tableContract(spec, 'time-items.csv');
export const TABLE2_HEADER = headerOf(TABLE2);
export const TIME_ITEMS_HEADER = headerOf(TIME_ITEMS);
