#!/usr/bin/env bash
# Runs the browser test of the web application: installs Chromium and
# playwright-core when they are missing, builds the server and walks the
# reference scenario (web-tests/scenario.mjs). Screenshots land in
# web-tests/screenshots/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
if ! command -v node >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
fi

cd "$here"
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi

cd "$root"
cargo build -p careinbox

cd "$here"
node --test --test-reporter=spec scenario.mjs
