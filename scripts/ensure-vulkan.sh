#!/usr/bin/env bash
# Makes sure a Vulkan driver Dawn accepts is present (see docs/webgpu-on-linux.md):
# lavapipe from Mesa >= 25 (bookworm-backports), else stop with what to install.
set -euo pipefail
ICD=/usr/share/vulkan/icd.d/lvp_icd.json
if [ -f "$ICD" ] && dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -Eq '^(2[5-9]|[3-9][0-9])\.'; then
  exit 0
fi
if [ -f /usr/lib/chromium/vk_swiftshader_icd.json ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "convroute: no usable Vulkan driver. Install lavapipe from Mesa >= 25 as root:" >&2
  echo "  echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/backports.list" >&2
  echo "  apt-get update && apt-get install -y -t bookworm-backports mesa-vulkan-drivers" >&2
  echo "or install Debian's chromium (it ships SwiftShader)." >&2
  exit 1
fi
echo "convroute: installing lavapipe (mesa-vulkan-drivers from bookworm-backports)..." >&2
. /etc/os-release
echo "deb http://deb.debian.org/debian ${VERSION_CODENAME}-backports main" > /etc/apt/sources.list.d/convroute-backports.list
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq -t "${VERSION_CODENAME}-backports" mesa-vulkan-drivers >&2
test -f "$ICD" || { echo "convroute: lavapipe install did not produce $ICD" >&2; exit 1; }
