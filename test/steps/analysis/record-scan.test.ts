import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../../runner/step.js';
import { RecordScan } from '../../../steps/analysis/record-scan.js';
import { parseChunk } from '../../../steps/analysis/tasks.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** A chunk read from the bytes (with JSON.parse for lines the reader declines) and one JSON-parsed throughout. */
function bothRoutes(text: string, minActivityAnswers = 2) {
  return [parseChunk(enc(text), minActivityAnswers, 'v.ndjson'), parseChunk(enc(text), minActivityAnswers, 'v.ndjson', { scan: false })] as const;
}

/** Chunks compared as plain data (typed arrays by value, padding beyond the rows ignored). */
const plain = (c: ReturnType<typeof parseChunk>) =>
  JSON.parse(JSON.stringify(c, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Int8Array).map((x) => (Number.isNaN(x) ? 'NaN' : x)) : v)));

const compact = [
  '{"wave":2013,"area":"Barnet","respondent_id":"BN1","source":{"file":"raw/2013/barnet.csv","line":2},"gender":1,"age_band":"dont_know","ethnicity":null,"nudge":"A","themes":{"community safety":{"activities":{"a":1,"b":2,"c":3,"d":"dont_know","e":null},"join_groups":2,"current_time":3,"more_time":null,"conditions":4,"satisfaction_response":{"crime":2,"anti-social behaviour":"dont_know"},"self_efficacy":{}},"wellbeing":{"activities":{"x":3},"join_groups":"dont_know","self_efficacy":{"ordinary citizens":1,"public agencies":null}}}}',
  '{"wave":2013,"area":"Bristol","respondent_id":"BR1","source":{"file":"raw/2013/bristol.csv","line":2},"nudge":null,"themes":{"environment":{"activities":null,"willing_time":4,"conditions":null,"extra":[1,{"k":true},-2.5e3]}}}',
  '{"wave":2014,"area":"Swansea","respondent_id":"SW1","themes":{}}',
  '{"wave":2014,"area":"Swansea","respondent_id":"SW2","themes":null,"note":"x"}',
];

test('compact lines are taken by the byte reader and give the rows JSON.parse gives', () => {
  const scan = new RecordScan();
  for (const line of compact) assert.ok(scan.scan(enc(line), 0, line.length), line);
  const [fast, slow] = bothRoutes(compact.join('\n') + '\n');
  assert.equal(plain(fast), plain(slow));
  assert.is(fast.rows, 3);
});

test('valid JSON in another spelling is declined by the reader and still scored the same', () => {
  const odd = [
    '{ "wave": 2013, "area": "Barnet", "respondent_id": "BN2", "themes": {} }',
    '{"wave":2013.0,"area":"Barnet","respondent_id":"BN3","themes":{"wellbeing":{"join_groups":1.0}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B\\u004e4","themes":{"wellbeing":{"join_groups":1}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"BN5","themes":{"wellbeing":{"activities":{"a":3,"a":1,"b":1}}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"BN6","gender":0,"gender":1,"themes":{"wellbeing":{}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"BN7","themes":{"wellbeing":{"activities":5,"join_groups":1}}}\r',
    '{"wave":2013,"area":"Barnet","respondent_id":"BN8","themes":{"wellbeing":{"conditions":{"crime":2,"crime":3}}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"BN9","themes":{"wellbeing":{"join_groups":1},"wellbeing":{"join_groups":3}}}',
  ];
  const scan = new RecordScan();
  for (const line of odd) assert.not.ok(scan.scan(enc(line), 0, line.length), line);
  const [fast, slow] = bothRoutes([...compact, ...odd].join('\n') + '\n\n', 1);
  assert.equal(plain(fast), plain(slow));
  assert.is(fast.records, compact.length + odd.length);
});

test('a bad line gives the same error, with the same line number, by either route', () => {
  const bad = [
    '{"wave":2013,"area":"Atlantis","respondent_id":"A1","themes":{}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"","themes":{}}',
    '{"wave":"2013","area":"Barnet","respondent_id":"B1","themes":{}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","nudge":"C","themes":{}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","themes":{"sport":{}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","themes":{"wellbeing":{"activities":{"a":4}}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","themes":{"wellbeing":{"more_time":5}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","themes":{"wellbeing":{"join_groups":4}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","themes":{"wellbeing":{"self_efficacy":101}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","themes":{"wellbeing":{"conditions":{"weather":1}}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","gender":"male","themes":{"wellbeing":{}}}',
    '{"wave":2013,"area":"Barnet","respondent_id":"B1","themes":{"wellbeing":{"join_groups":1}}',
  ];
  for (const line of bad) {
    const text = `${compact[2]}\n\n${line}\n`;
    const errors = [true, false].map((scan) => {
      try {
        parseChunk(enc(text), 2, 'v.ndjson', { scan });
        return null;
      } catch (e) {
        assert.instance(e, DataError, line);
        return { message: (e as DataError).message, where: (e as DataError).where };
      }
    });
    assert.ok(errors[0], `no error for ${line}`);
    assert.equal(errors[0], errors[1], line);
    assert.is(errors[0]!.where.line, 2, line);
  }
});

test('input that is not pure ASCII is parsed the JSON way throughout', () => {
  const text = compact[0]!.replace('"BN1"', '"BN1é"') + '\n' + compact[1] + '\n';
  const [fast, slow] = bothRoutes(text);
  assert.equal(plain(fast), plain(slow));
  assert.equal([...fast.idBytes], [...enc('BN1éBN1éBR1')]);
});

test.run();
