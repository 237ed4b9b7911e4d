#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Pantau uses, when it can; otherwise says what to install.
#   chromium     static chart export and the browser tests
#   hunspell-id  Indonesian spelling dictionary for the caption checks
set -u
PACKAGES=(chromium fonts-dejavu-core hunspell hunspell-id)
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
  echo "warning: apt-get could not install ${missing[*]}; Pantau runs without them (no PNG export, no spell check)." >&2
  exit 0
fi
echo "note: please install these system packages as root: apt-get install -y ${missing[*]}" >&2
exit 0
