#!/usr/bin/env bash
# Oracle drift checks: installs the oracles (setup-python.sh, setup-llama-cpp.sh), then runs
# every scripts/oracle/check-*.sh (each regenerates some golden values that the unit tests
# use from a live oracle and fails when they differ from the committed ones). Fails when any
# setup or check fails. .ci/run calls this after `./mvnw verify`.
#
# Usage: scripts/oracle/check-all.sh [check-NAME.sh ...]   (default: all of them)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
log() { echo "[check-all] $*"; }

"$here/setup-python.sh" || { log "FAIL setup-python.sh"; exit 1; }
"$here/setup-llama-cpp.sh" >/dev/null || { log "FAIL setup-llama-cpp.sh"; exit 1; }
# shellcheck source=env.sh
. "$here/env.sh"

if [ $# -gt 0 ]; then
  checks=("$@")
else
  checks=()
  for f in "$here"/check-*.sh; do
    [ -e "$f" ] || continue
    [ "$(basename "$f")" = check-all.sh ] && continue
    checks+=("$(basename "$f")")
  done
fi

results=()
failed=0
for c in "${checks[@]}"; do
  log "running $c"
  start=$(date +%s)
  if (cd "$repo" && bash "$here/$c"); then status=PASS; else status=FAIL; failed=$((failed + 1)); fi
  results+=("$status $c ($(( $(date +%s) - start ))s)")
done

for r in "${results[@]}"; do log "$r"; done
if [ "$failed" -gt 0 ]; then
  log "$failed of ${#checks[@]} oracle checks FAILED"
  exit 1
fi
log "all ${#checks[@]} oracle checks passed"
