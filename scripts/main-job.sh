#!/usr/bin/env bash
# The main job (`scripts/run.sh start` -> `pnpm start`): the layer suites (arguments go to
# `convroute suite`), then ResNet-18 and MobileNetV2 end to end on the detected adapter, each node
# verified against the exact CPU run, with the route table and the whole-model latency.
# CONVROUTE_MODEL_SIZE picks the networks' input size (default 224).
set -uo pipefail
cd "$(dirname "$0")/.."
size=${CONVROUTE_MODEL_SIZE:-224}
status=0
tsx packages/cli/src/bin.ts suite "$@" || status=$?
for net in resnet18 mobilenetv2; do
  tsx packages/cli/src/bin.ts model "$net" --size "$size" || status=$?
done
exit "$status"
