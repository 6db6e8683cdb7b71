#!/usr/bin/env bash
# Builds each public package (monorepo.json: under packages/, not private) to dist/: ESM JavaScript,
# declarations and source maps, what `pnpm pack` ships. Development and tests run src/*.ts directly.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(node -p 'Object.entries(require("./monorepo.json").packages).filter(([d, e]) => d.startsWith("packages/") && !e.private).map(([d]) => d).join(" ")')
for dir in $packages; do
  # A clean dist: a module deleted from src must not live on in the package.
  rm -rf "$dir/dist"
  node_modules/.bin/tsc -p "$dir/tsconfig.build.json"
done
