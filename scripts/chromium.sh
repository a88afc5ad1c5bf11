#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (installing it as root).
# Never downloads a browser build of its own: Playwright drives this one.
exec "$(dirname "$0")/debian_packages.sh" chromium:/usr/bin/chromium
