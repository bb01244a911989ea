#!/usr/bin/env bash
# Debian packages the test suite needs: PDF rendering and barcode decoding for the print
# tests, PostgreSQL server binaries (the tests start a throw-away server), libfaketime and a C
# compiler (CI runs the tests again at another date: tools/run_at.sh; the card reader's fake
# vendor library), SANE's scanimage with its test backend, and the libraries offscreen Qt loads.
# Installs only what is missing; needs root (CI runs as root).
set -euo pipefail
need=()
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v zbarimg >/dev/null || need+=(zbar-tools)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v faketime >/dev/null || need+=(faketime)
command -v cc >/dev/null || need+=(gcc libc6-dev)  # tools/run_at.sh builds a small fix
command -v scanimage >/dev/null || need+=(sane-utils)  # the scanner tests use SANE's test backend
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libGL.so.1; do
  ldconfig -p | grep -q "$lib" || need+=("$lib")
done
# Map library names to their packages.
pkgs=()
for item in "${need[@]}"; do
  case "$item" in
    libEGL.so.1) pkgs+=(libegl1) ;;
    libxkbcommon.so.0) pkgs+=(libxkbcommon0) ;;
    libfontconfig.so.1) pkgs+=(libfontconfig1) ;;
    libdbus-1.so.3) pkgs+=(libdbus-1-3) ;;
    libGL.so.1) pkgs+=(libgl1) ;;
    *) pkgs+=("$item") ;;
  esac
done
if [ ${#pkgs[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages (install as root): ${pkgs[*]}" >&2
  exit 0
fi
echo "installing: ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
