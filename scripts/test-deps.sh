#!/usr/bin/env bash
# Installs what the test suite needs beyond scripts/system-deps.sh: PostgreSQL 15's server
# binaries, for the run of the database tests on a private cluster (tests/pg_cluster.py).
# Nothing is configured or started here; the tests start and remove their own cluster.
set -u
PACKAGES=(postgresql-15)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit $?
fi
echo "error: the PostgreSQL test run needs: apt-get install -y ${missing[*]} (as root)" >&2
exit 1
