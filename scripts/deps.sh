#!/usr/bin/env bash
# Installs the Debian packages the project builds and tests with, only when some are
# missing, so a second run is quiet and needs no network.
set -euo pipefail
pkgs=(build-essential cmake pkg-config
      libsdl2-dev libx11-dev libsdl2-ttf-dev libsdl2-image-dev libsqlite3-dev sqlite3
      libjansson-dev libyajl-dev libutf8proc-dev libqrencode-dev libsodium-dev libcmocka-dev
      libmicrohttpd-dev libcurl4-openssl-dev openssl libcairo2-dev
      fonts-noto-core fonts-dejavu-core xvfb xauth python3 valgrind x11-apps xdotool
      libsystemd-dev libvoikko-dev voikko-fi libstemmer-dev)
# `make fuzz` (scripts/deps.sh fuzz) also needs clang and its libFuzzer runtime.
if [ "${1:-}" = fuzz ]; then
  pkgs+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
