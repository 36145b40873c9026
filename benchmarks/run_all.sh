#!/usr/bin/env bash
# Run every benchmark in turn and keep what each printed in benchmarks/results-<date>.txt.
#   bash benchmarks/run_all.sh            (uses .venv/bin/python if present, else python3)
# Needs the bench extra (pip install -e '.[bench]') and wrk (apt-get install wrk).
# Each script reports PASS/FAIL against its targets and exits 0; a script that crashes is
# reported and the others still run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
OUT="benchmarks/results-$(date +%Y%m%d-%H%M).txt"

{
  echo "# Benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  free -h | sed -n 1,2p
  "$PYTHON" --version
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo
} | tee "$OUT"

for script in bench_fixture.py bench_throughput.py bench_coldstart.py bench_scale.py bench_store_lock.py bench_variables.py bench_dashboard.py; do
  if [ -f "benchmarks/$script" ]; then
    echo "================ $script ================" | tee -a "$OUT"
    "$PYTHON" "benchmarks/$script" 2>&1 | tee -a "$OUT" || echo "CRASH $script (see above)" | tee -a "$OUT"
    echo | tee -a "$OUT"
  else
    echo "(benchmarks/$script not present, skipped)" | tee -a "$OUT"
  fi
done
summary="$(grep -E '^(PASS|FAIL|CRASH) ' "$OUT" || true)"
printf 'Summary:\n%s\n' "$summary" | tee -a "$OUT"
echo "Written to $OUT"
