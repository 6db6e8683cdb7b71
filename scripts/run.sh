#!/usr/bin/env bash
# The two commands of the README: `scripts/run.sh start` (the main job) and `scripts/run.sh test`.
# Each installs what it needs on a fresh Debian machine with Node 20: the pinned pnpm through npx,
# the workspace's dependencies, and a Vulkan software driver for WebGPU (scripts/ensure-vulkan.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-}
case "$what" in start | test) ;; *)
  echo "usage: scripts/run.sh start|test" >&2
  exit 64
  ;;
esac

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "convroute: Node.js >= 20 is required (found $(node --version 2>/dev/null || echo none)); install it from https://nodejs.org or Debian's nodesource packages" >&2
  exit 1
fi

PNPM=(npx -y pnpm@12.4.2)
"${PNPM[@]}" install --frozen-lockfile --reporter=append-only >&2

# WebGPU on a machine without a GPU: lavapipe with one thread (docs/webgpu-on-linux.md: more threads
# crashed dawn.node more often). Without a driver the WebGPU tests fail under CI=true.
if ! bash scripts/ensure-vulkan.sh; then
  [ "${CI:-}" = true ] && exit 1
  echo "convroute: continuing without a Vulkan driver; WebGPU parts will report no adapter" >&2
fi
if [ "$what" = test ] && ! bash scripts/ensure-chromium.sh; then
  [ "${CI:-}" = true ] && exit 1
  echo "convroute: continuing without chromium; the playground's browser tests will be skipped" >&2
fi
export LP_NUM_THREADS=${LP_NUM_THREADS:-1}
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/share/vulkan/icd.d/lvp_icd.json /usr/lib/chromium/vk_swiftshader_icd.json; do
    if [ -f "$icd" ]; then export VK_ICD_FILENAMES=$icd; break; fi
  done
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}

if [ "$what" = start ]; then
  shift
  exec "${PNPM[@]}" start "$@"
else
  "${PNPM[@]}" run lint
  "${PNPM[@]}" run typecheck
  exec "${PNPM[@]}" test
fi
