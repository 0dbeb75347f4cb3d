#!/usr/bin/env bash
# Installs the Debian packages the project builds and tests with, only when some are
# missing, so a second run is quiet and needs no network.
set -euo pipefail
pkgs=(build-essential cmake pkg-config
      libsdl2-dev libx11-dev libsdl2-ttf-dev libsdl2-image-dev libsqlite3-dev sqlite3
      libjansson-dev libyajl-dev libutf8proc-dev libqrencode-dev libsodium-dev libcmocka-dev
      libmicrohttpd-dev libcurl4-openssl-dev libxml2-dev openssl libcairo2-dev
      fonts-noto-core fonts-dejavu-core xvfb xauth python3 valgrind x11-apps xdotool
      libsystemd-dev libvoikko-dev voikko-fi libstemmer-dev chromium libxlsxwriter-dev
      libpq-dev postgresql)
# `make fuzz` (scripts/deps.sh fuzz) also needs clang and its libFuzzer runtime.
if [ "${1:-}" = fuzz ]; then
  pkgs+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node and npm by command: a node from another packaging (with its own npm) counts.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The console's libraries and its test drivers, from the npm registry as the lockfile
# pins them; again only when the lockfile changed since the last install.
console="$(dirname "$0")/../console"
if [ ! -f "$console/node_modules/.package-lock.json" ] ||
   [ "$console/package-lock.json" -nt "$console/node_modules/.package-lock.json" ]; then
  echo "deps: npm ci in console/"
  (cd "$console" && npm ci --no-audit --no-fund --loglevel=error)
fi
