/**
 * The panel paper.html opens when a number with a `data-cell` address is clicked: the step and branch
 * that computed the table, its cache key, its inputs' hashes, the respondents the row rests on (n and
 * raw files) and the command that prints the number's whole lineage. The page's one script reads this
 * record from a JSON data block; the Content-Security-Policy allows that script by its hash alone.
 */
import { isRowLineage, lineageLength, lineageRows, type Ranges } from '../../contract/row-lineage.js';

export interface CellLineage {
  /** Per published CSV (`table3.csv`): the per-branch artifacts it gathers, by their rows. */
  files: Record<string, { element: string; parts: Array<{ from: number; to: number; branch: string; artifact: string; hash: string; key: string; inputs: Array<{ path: string; hash: string }> }> }>;
  /**
   * Per row (`table3.csv:12`): the respondents it rests on; for a table render computes itself from
   * others (the reproduction check, the audit), `on` names the rows and raw lines its row lineage gives.
   */
  rows: Record<string, { n: number | null; files: string[]; on?: string[] }>;
  /** The command, with {file} and {cell} to fill in. */
  command: string;
}

export const PANEL_SCRIPT = `(() => {
  const data = JSON.parse(document.getElementById('cell-lineage').textContent);
  const panel = document.getElementById('cell-panel');
  const body = panel.querySelector('dl');
  const add = (term, value) => {
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = term;
    dd.textContent = value;
    body.append(dt, dd);
  };
  const show = (target) => {
    const ref = target.getAttribute('data-cell');
    const [file, row, column] = ref.split(':');
    const table = data.files[file];
    const part = table ? table.parts.find((p) => Number(row) >= p.from && Number(row) <= p.to) : undefined;
    const rest = data.rows[file + ':' + row];
    body.replaceChildren();
    add('Cell', 'tables/' + ref + ' (row ' + row + ', column ' + column + ')');
    add('Printed', target.textContent);
    if (part) {
      add('Step and branch', part.branch);
      add('Cache key', part.key.slice(0, 12));
      add('Table artifact', part.artifact + ' ' + part.hash.slice(0, 12));
      add('Inputs', part.inputs.map((i) => i.path + ' ' + i.hash.slice(0, 12)).join('\\n'));
    }
    if (rest && rest.files.length) add('Respondents', (rest.n === null ? 'n not given' : 'n = ' + rest.n) + ', from ' + rest.files.join(', '));
    if (rest && rest.on) add('Rests on', rest.on.join('\\n'));
    add('Command', data.command.replace('{file}', file).replace('{cell}', row + ':' + column));
    panel.hidden = false;
    panel.focus();
  };
  document.addEventListener('click', (e) => {
    const target = e.target.closest('[data-cell]');
    if (target) show(target);
    else if (e.target.closest('#cell-panel button') || !panel.contains(e.target)) panel.hidden = true;
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') panel.hidden = true;
    else if ((e.key === 'Enter' || e.key === ' ') && e.target.hasAttribute && e.target.hasAttribute('data-cell')) {
      e.preventDefault();
      show(e.target);
    }
  });
})();`;

/** JSON that may sit inside a <script type="application/json">: no "</" can end the element early. */
export const jsonForScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * What each row of a row-lineage sidecar rests on, in words for the panel: "tables/table3.csv row 12",
 * "raw/published-tables.json lines 4, 9-13". Keys are `<file>:<row>` as `rows` has them.
 */
export function restsOn(file: string, sidecar: string): CellLineage['rows'] {
  const parsed: unknown = JSON.parse(sidecar);
  if (!isRowLineage(parsed)) throw new Error(`the row lineage of ${file} is not in the shape of schemas/row-lineage.schema.json`);
  const { inputs, units } = parsed;
  const refsOf = lineageRows(parsed);
  const runs = (ranges: Ranges) => ranges.map(([first, last]) => (last > first ? `${first}-${last}` : String(first))).join(', ');
  const entries: Array<[string, CellLineage['rows'][string]]> = [];
  for (let k = 1; k <= lineageLength(parsed); k++) {
    const refs = (refsOf(k) ?? []).filter(([, ranges]) => ranges.length);
    const single = (ranges: Ranges) => ranges.length === 1 && ranges[0]![0] === ranges[0]![1];
    if (refs.length) entries.push([`${file}:${k}`, { n: null, files: [], on: refs.map(([input, ranges]) => `${inputs[input]} ${units[input]}${single(ranges) ? '' : 's'} ${runs(ranges)}`) }]);
  }
  return Object.fromEntries(entries);
}
