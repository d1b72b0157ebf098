import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { editDistance, helpText, nearest, parseArgs, UsageError, VERBS } from '../../runner/args.js';

test('options parse in every form: --name value, --name=value, -x value, -xvalue, bundled letters, --no-, --', () => {
  assert.equal(parseArgs(['run', '--only', 'a,b', '-S', 'x.y=1', '-Sx.z=2', '--set=w.v=3', '--no-wait', '--', '-odd']), {
    verb: 'run',
    operands: ['-odd'],
    options: { only: 'a,b', set: ['x.y=1', 'x.z=2', 'w.v=3'], wait: false },
  });
  assert.equal(parseArgs(['-nS', 'a.b=c', 'run', 'clean']), { verb: 'run', operands: ['clean'], options: { 'dry-run': true, set: ['a.b=c'] } });
  assert.equal(parseArgs(['--json', 'status']), { verb: 'status', operands: [], options: { json: true } });
  assert.equal(parseArgs(['run', '--force']).options, { force: true });
  assert.equal(parseArgs(['run', '--force=a,b']).options, { force: 'a,b' });
  assert.equal(parseArgs(['-C', 'elsewhere', 'dag']), { verb: 'dag', operands: [], options: { project: 'elsewhere' } });
});

test('mistakes are usage errors that say what to do', () => {
  const message = (argv: string[]) => {
    try {
      parseArgs(argv);
    } catch (e) {
      assert.instance(e, UsageError);
      return `${(e as UsageError).message} | ${(e as UsageError).hint}`;
    }
    return 'accepted';
  };
  assert.is(message(['gc', '--dry-rn']), 'unknown option --dry-rn for gc | Did you mean "--dry-run"?\n  See: npm run pipeline -- gc --help');
  assert.is(message(['dag', '-x']), 'unknown option -x for dag | See: npm run pipeline -- dag --help');
  assert.is(message(['run', '--keep-going=yes']), '--keep-going takes no value (got "yes") | undefined');
  assert.is(message(['explain', 'a', 'b']), 'explain takes <artifact>, got 2: a b | Usage: npm run pipeline -- explain <artifact>');
  assert.is(message(['fsck']), 'unknown verb "fsck" | Verbs: run, status, dag, explain, show, params, verify, gc.');
});

test('edit distance counts a swap of neighbours as one edit; "did you mean" stays within a third of the word', () => {
  assert.equal([editDistance('stauts', 'status'), editDistance('corelate', 'correlate'), editDistance('', 'abc')], [1, 1, 3]);
  assert.is(nearest('--dry-rum', ['--json', '--dry-run']), '--dry-run');
  assert.is(nearest('zz', ['run', 'gc']), undefined);
});

test('help is drawn from the option table: every option of every verb appears in its help', () => {
  for (const verb of VERBS) {
    const help = helpText(verb.name);
    assert.ok(help.startsWith(`Usage: npm run pipeline -- ${verb.name}`), help);
    for (const o of verb.options) assert.ok(help.includes(`--${o.negatable ? '[no-]' : ''}${o.name}`), `${verb.name} --help names --${o.name}`);
  }
  assert.match(helpText('main'), /^ {2}params {25}List every step parameter/m);
});

test.run();
