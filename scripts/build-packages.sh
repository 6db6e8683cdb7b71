#!/usr/bin/env bash
# Builds each public package (monorepo.json: under packages/, not private) to dist/ with its own
# `build` script (a clean dist, then tsc: ESM JavaScript, declarations, source maps), which is also
# its `prepack`. Development and tests run src/*.ts directly.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(node -p 'Object.entries(require("./monorepo.json").packages).filter(([d, e]) => d.startsWith("packages/") && !e.private).map(([d]) => d).join(" ")')
for dir in $packages; do
  (cd "$dir" && npm run --silent build)
done
