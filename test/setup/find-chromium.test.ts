import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-chromium.js';

const only = (...paths: string[]) => (path: string) => paths.includes(path);

test('CHROMIUM_PATH first, then the PATH in order, then Debian\'s /usr/bin/chromium', () => {
  const everywhere = only('/opt/chrome/chrome', '/home/u/bin/chromium', '/usr/local/bin/google-chrome', '/usr/bin/chromium');
  assert.equal(findChromium({ CHROMIUM_PATH: '/opt/chrome/chrome', PATH: '/home/u/bin' }, everywhere), { path: '/opt/chrome/chrome', from: 'CHROMIUM_PATH' });
  assert.equal(findChromium({ PATH: '/nowhere:/usr/local/bin:/home/u/bin' }, everywhere), { path: '/usr/local/bin/google-chrome', from: 'PATH' });
  assert.equal(findChromium({ PATH: '/nowhere' }, everywhere), { path: '/usr/bin/chromium', from: 'Debian default' });
});

test('a wrong CHROMIUM_PATH, or no browser at all, says what is missing and how to install it', () => {
  const wrong = findChromium({ CHROMIUM_PATH: '/opt/none', PATH: '/usr/bin' }, only('/usr/bin/chromium'));
  assert.equal(wrong, { missing: 'CHROMIUM_PATH is set to /opt/none, which is not an executable file. Point it at a Chromium or Chrome binary, or unset it.' });
  const none = findChromium({ PATH: '/usr/bin' }, only());
  assert.ok('missing' in none);
  const lines = (none as { missing: string }).missing.split('\n');
  assert.is(lines[0], 'No Chromium found: CHROMIUM_PATH is not set, none of chromium, chromium-browser, google-chrome, google-chrome-stable, chrome is on the PATH, and /usr/bin/chromium does not exist.');
  assert.ok(lines.some((l) => l.includes('brew install --cask chromium')) && lines.some((l) => l.includes('install-chromium.sh')));
});

test('the pretest script uses CHROMIUM_PATH without calling apt-get', () => {
  const r = spawnSync('bash', ['test/setup/install-chromium.sh'], { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8', env: { ...process.env, CHROMIUM_PATH: process.execPath } });
  assert.equal([r.status, r.stdout, r.stderr], [0, `chromium: using CHROMIUM_PATH=${process.execPath}\n`, '']);
});

test.run();
