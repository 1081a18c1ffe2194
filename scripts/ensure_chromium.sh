#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
set -eu
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium is missing and cannot be installed here: the browser tests will be skipped (CI fails on that)." >&2
fi
