#!/usr/bin/env bash
# Debian's Chromium for the playground's browser tests (docs/webgpu-on-linux.md: headless WebGPU on
# SwiftShader). Never `npx playwright install`: that download is not reachable here.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "convroute: the browser tests need Debian's chromium; as root: apt-get install -y chromium" >&2
  exit 1
fi
echo "convroute: installing chromium (apt) for the playground's browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
