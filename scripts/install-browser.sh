#!/usr/bin/env bash
# Install Debian's headless Chromium and its WebDriver for the browser tests of `accord serve`
# (tests/test_serve_e2e.py), only if they are missing. Needs root (or password-less sudo) and
# apt-get; on a machine without them it says so and exits 0: the browser tests are then skipped,
# saying why. A failing apt-get is an error (exit non-zero).
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get here; install Chromium and chromedriver yourself to run the browser tests." >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"  # never waits for a password
  else
    echo "install-browser: not root (and no password-less sudo): run 'sudo apt-get install chromium" \
         "chromium-driver' to run the browser tests; until then they are skipped." >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null
echo "install-browser: $(chromium --version 2>/dev/null | head -n 1) and chromedriver installed." >&2
