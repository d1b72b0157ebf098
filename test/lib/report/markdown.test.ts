import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { heading, paragraph } from '../../../lib/report/document.js';
import { toMarkdown } from '../../../lib/report/markdown.js';

test('paper.md opens with contents linking every section and subsection to an anchor named as in paper.html', () => {
  const md = toMarkdown([
    heading(1, 'Title', 'title'),
    paragraph('Summary.'),
    heading(2, '1. Data', 'sec-data'),
    heading(3, '1.1 Areas', 'sec-areas'),
    heading(4, 'Detail', 'sec-detail'),
    heading(2, '2. Findings, wave 2013', 'sec-findings'),
  ]);
  assert.is(
    md,
    [
      '# Title',
      'Summary.',
      '## Contents\n\n- [1. Data](#sec-data)\n  - [1.1 Areas](#sec-areas)\n- [2. Findings, wave 2013](#sec-findings)',
      '<a id="sec-data"></a>\n\n## 1. Data',
      '<a id="sec-areas"></a>\n\n### 1.1 Areas',
      '#### Detail',
      '<a id="sec-findings"></a>\n\n## 2. Findings, wave 2013',
    ].join('\n\n') + '\n',
  );
});

test('a document without sections has no contents', () => {
  assert.is(toMarkdown([heading(1, 'Title', 'title'), paragraph('Nothing yet.')]), '# Title\n\nNothing yet.\n');
});

test.run();
