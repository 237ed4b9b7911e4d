#!/usr/bin/env bash
# Installs the Debian packages Pantau uses, when it can; otherwise says what to install.
#   scripts/apt-install.sh run    what the product uses, all optional (a warning when missing):
#     chromium     static chart export and the browser tests
#     hunspell-id  Indonesian spelling dictionary for the caption checks
#   scripts/apt-install.sh test   all of those, required (so no browser or spelling test is
#                                 skipped), plus an error when missing:
#     postgresql-15  server binaries for the PostgreSQL run on a private cluster
#                    (testkit/pg_cluster.py); nothing is configured or started here
#     faketime       the clock check: tests started just before midnight (scripts/clock-check.sh)
set -u
RUN_PACKAGES=(chromium fonts-dejavu-core hunspell hunspell-id)
case "${1:-}" in
  run)  PACKAGES=("${RUN_PACKAGES[@]}"); required=0 ;;
  test) PACKAGES=("${RUN_PACKAGES[@]}" postgresql-15 faketime); required=1 ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  [ "$required" -eq 1 ] && { echo "error: apt-get could not install ${missing[*]}" >&2; exit 1; }
  echo "warning: apt-get could not install ${missing[*]}; Pantau runs without them (no PNG export, no spell check)." >&2
  exit 0
fi
if [ "$required" -eq 1 ]; then
  echo "error: the tests need: apt-get install -y ${missing[*]} (as root)" >&2
  exit 1
fi
echo "note: please install these system packages as root: apt-get install -y ${missing[*]}" >&2
exit 0
