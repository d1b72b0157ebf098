/**
 * Where the browser tests find Chromium: $CHROMIUM_PATH when set, else the first chromium or Chrome
 * on the PATH, else Debian's /usr/bin/chromium (what test/setup/install-chromium.sh installs).
 * When none is there, the answer says what is missing and how to install it on each system.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

export type Found = { path: string; from: 'CHROMIUM_PATH' | 'PATH' | 'Debian default' } | { missing: string };

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function findChromium(env: Record<string, string | undefined> = process.env, isExecutable: (path: string) => boolean = executable): Found {
  const chosen = env.CHROMIUM_PATH;
  if (chosen) return isExecutable(chosen) ? { path: chosen, from: 'CHROMIUM_PATH' } : { missing: `CHROMIUM_PATH is set to ${chosen}, which is not an executable file. Point it at a Chromium or Chrome binary, or unset it.` };
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const name of NAMES) if (isExecutable(join(dir, name))) return { path: join(dir, name), from: 'PATH' };
  if (isExecutable(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, from: 'Debian default' };
  return {
    missing: [
      `No Chromium found: CHROMIUM_PATH is not set, none of ${NAMES.join(', ')} is on the PATH, and ${DEBIAN_CHROMIUM} does not exist.`,
      'Install one, then rerun the tests:',
      '  Debian, Ubuntu: bash test/setup/install-chromium.sh   (apt-get install chromium, as root)',
      '  macOS:          brew install --cask chromium, then CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium npm test',
      '  Fedora:         dnf install chromium;  Arch: pacman -S chromium;  Alpine: apk add chromium',
      '  anywhere else:  any Chromium or Chrome binary, named by CHROMIUM_PATH=/path/to/chrome npm test',
    ].join('\n'),
  };
}
