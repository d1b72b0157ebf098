#!/usr/bin/env bash
# Makes sure the headless HTML test (test/steps/render/html-browser.test.ts) has a Chromium.
# It uses $CHROMIUM_PATH, else a chromium or Chrome on the PATH, else Debian's /usr/bin/chromium
# (test/setup/find-chromium.ts). Only when none is there, and apt-get is, does this install Debian's
# chromium (as root, or with sudo). Elsewhere it says what to install and leaves the tests to run:
# the browser test then fails with the same advice rather than passing without a browser.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ]; then
    echo "chromium: using CHROMIUM_PATH=$CHROMIUM_PATH"
  else
    echo "chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file; the browser test will fail until it is." >&2
  fi
  exit 0
fi
for name in chromium chromium-browser google-chrome google-chrome-stable chrome; do
  if found=$(command -v "$name" 2>/dev/null); then
    echo "chromium: using $found (from the PATH)"
    exit 0
  fi
done
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: /usr/bin/chromium"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<'ADVICE'
chromium: not found, and this system has no apt-get to install Debian's chromium.
The HTML browser test needs one. Install Chromium or Chrome, then rerun the tests:
  macOS:   brew install --cask chromium, then CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium npm test
  Fedora:  dnf install chromium;  Arch: pacman -S chromium;  Alpine: apk add chromium
  or name any Chromium or Chrome binary: CHROMIUM_PATH=/path/to/chrome npm test
ADVICE
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "chromium: not found; installing Debian's chromium needs root: run 'apt-get install chromium' as root, or set CHROMIUM_PATH." >&2
    exit 0
  fi
  SUDO="sudo"
fi

$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
