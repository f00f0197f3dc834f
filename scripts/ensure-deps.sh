#!/usr/bin/env bash
# Installs what shenbao's demo and tests need on a fresh Debian machine (as root), and
# only what is missing: Debian packages for the loopback servers and fixture tools,
# then the npm packages exactly as locked. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have redis-server || need+=(redis-server)
have dovecot || need+=(dovecot-imapd)
have pdftotext || need+=(poppler-utils)
have zip || need+=(zip) # tests make zips with Info-ZIP at run time
# The deployment test validates compose.yaml with Debian's docker-compose (no engine needed).
have docker-compose || need+=(docker-compose)
# ImageMagick crops a photographed scan to its title before OCR (a 4000 px photo is OCR'd
# whole otherwise, far slower). Looked up by path: some machines put a stand-in `convert`
# earlier on PATH that only forwards to the real one when it is installed.
[ -x /usr/bin/convert ] || need+=(imagemagick)
# OCR of scans is optional for the service; the tests exercise it, so install it here.
have tesseract || need+=(tesseract-ocr tesseract-ocr-chi-sim)
# The dashboard's browser tests drive Debian's Chromium (playwright-core never downloads a
# browser here); Noto CJK so the screenshots show Chinese, not boxes.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
if have tesseract && ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim; then need+=(tesseract-ocr-chi-sim); fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${need[*]} — run as root, or: sudo apt-get install ${need[*]}" >&2; exit 1
  fi
  echo "installing Debian packages: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm packages (npm ci)" >&2
  # Without `prepare` (tsc): a type error must fail the build step, not the install, or the
  # test command would stop before running a single test.
  npm ci --no-audit --no-fund --ignore-scripts >&2
fi
if [ "${SHENBAO_DEPS_ONLY:-0}" != 1 ]; then
  # SHENBAO_DEPS_ONLY=1: the caller builds on its own (scripts/test.sh, which reports the build).
  npm run --silent build >&2
fi
