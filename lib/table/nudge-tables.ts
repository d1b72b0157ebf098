/** table5.csv, which nudge-regress writes and figures and render read, as schemas/nudge-regress.tables.json describes it. */
import spec from '../../schemas/nudge-regress.tables.json' with { type: 'json' };
import { headerOf, tableContract } from './table-contract.js';

export const TABLE5 = tableContract(spec, 'table5.csv');
export const TABLE5_HEADER = headerOf(TABLE5);
