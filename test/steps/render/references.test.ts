import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../../contract/step.js';
import { formatReferences } from '../../../steps/render/references.js';
import { inlines } from '../../../lib/report/markdown.js';
import { art } from './fixture-inputs.js';

const bib = `@article{a2016,
  author = {Doe, Jane and Roe, Richard},
  title = {A study of things},
  journal = {Journal of Studies},
  year = {2016}, volume = {8}, number = {2}, pages = {10--20},
  doi = {10.1000/xyz}
}
@article{b2001, author = {Adams, Ann}, title = {Earlier work}, journal = {Old Journal}, year = {2001}, volume = {1}, pages = {1--2}}
`;

test('BibTeX entries come out formatted in the one style, sorted by author, journals in italics', () => {
  const refs = formatReferences(art('raw/references.bib', bib), '10.1000/XYZ');
  assert.equal(refs.map((r) => r.id), ['b2001', 'a2016']);
  assert.is(inlines(refs[1]!.inlines), 'Doe, J. and Roe, R. (2016) “A study of things,” *Journal of Studies*, 8(2), pp. 10–20. Available at: https://doi.org/10.1000/xyz.');
});

test('a bibliography without the article\'s DOI is a data error naming the file and the DOI', () => {
  try {
    formatReferences(art('raw/references.bib', bib), '10.9999/other');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DataError);
    assert.match((e as DataError).describe(), /^raw\/references\.bib.*no entry has the article's DOI 10\.9999\/other/);
  }
});

test.run();
