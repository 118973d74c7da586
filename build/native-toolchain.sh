#!/usr/bin/env bash
# The native toolchain a native AOT publish links with (docs/aot.md): clang and the zlib headers. The test command
# (./build.sh --target=Test) runs this before the tests, because NativeAotPublishTests and NativeAotAppTests publish
# samples/Premix.AotSample with PublishAot. Installs what is missing with apt-get when run as root (CI, a fresh Debian 12);
# otherwise says what to install and fails.
set -euo pipefail

missing=()
command -v clang >/dev/null 2>&1 || missing+=(clang)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
if [ "${#missing[@]}" -eq 0 ]; then
    echo "Native AOT toolchain: $(clang --version | head -n 1), zlib headers present."
    exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Native AOT publishing needs ${missing[*]}, which are not installed. Install them (Debian/Ubuntu: sudo apt-get install -y clang zlib1g-dev) and run again." >&2
    exit 1
fi

echo "Native AOT toolchain: installing ${missing[*]} with apt-get."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Native AOT toolchain: $(clang --version | head -n 1), zlib headers present."
