#!/usr/bin/env bash
# The clock check (issue #14): the clock-sensitive tests run under faketime, started a minute
# before local midnight (WIB, UTC+7) and a minute before a month's end, so the clock passes
# midnight (and a month's end) while they run. A test that reads the wall clock where it should
# fix "now" (tests/clock.py) fails here, not in CI some night. Installs nothing: faketime comes
# from `scripts/apt-install.sh test`, the virtualenv from `make test` (or `make clock`).
#   scripts/clock-check.sh                       the fixed instants below
#   scripts/clock-check.sh '2027-03-31 16:59:00' other instants (UTC, as faketime's "@" takes)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
if ! command -v faketime >/dev/null 2>&1; then
  echo "error: faketime is missing: apt-get install -y faketime (scripts/apt-install.sh test)" >&2
  exit 1
fi
# the worker and the metrics, and other tests whose data or pages read "today", "this month" or
# "this hour" (a few minutes in all; the crash and concurrency proofs are left to `make unit`)
TESTS=(
  tests/test_worker_*.py tests/test_metrics_*.py tests/test_scores.py tests/test_aggregates.py
  tests/test_services.py tests/test_reminders.py tests/test_health.py tests/test_demo.py
  tests/test_refresh.py tests/test_reports.py tests/test_collect_run.py tests/test_cli.py
  tests/test_pages.py tests/test_page_akun_dorman.py tests/test_page_kesehatan.py
  tests/test_page_tinjauan.py tests/test_real_data_walk.py
)
if [ $# -gt 0 ]; then
  INSTANTS=("$@")
else
  INSTANTS=(
    "2026-12-06 16:59:00"  # Sunday 6 December, 23:59 WIB: a day ends
    "2026-12-31 16:59:00"  # 31 December, 23:59 WIB: a day, a month and a year end
  )
fi
# child processes (the worker, the dashboard) go on from the test process's fake clock instead of
# each starting again at the instant
export FAKETIME_DONT_RESET=1
# midnight passes about halfway through a run: every other run (the first, a plain day's end,
# which the worker tests then meet) takes the files in reverse order, so each test runs after
# midnight, on what the session set up before it, in one of two runs
REVERSED=()
for ((i = ${#TESTS[@]} - 1; i >= 0; i--)); do REVERSED+=("${TESTS[i]}"); done
failed=()
n=0
for at in "${INSTANTS[@]}"; do
  wib=$(TZ=Asia/Pontianak date -d "$at UTC" '+%Y-%m-%d %H:%M WIB')
  if ((n++ % 2 == 0)); then files=("${REVERSED[@]}"); order="in reverse order"; else
    files=("${TESTS[@]}"); order="in order"; fi
  echo "== clock check: started at $at UTC ($wib), files $order"
  faketime -f "@$at" "$PYTEST" -q -p no:cacheprovider "${files[@]}" || failed+=("$at")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "clock check failed when started at: ${failed[*]} (UTC)" >&2
  exit 1
fi
echo "clock check passed at ${#INSTANTS[@]} instant(s)"
