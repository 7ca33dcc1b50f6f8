#!/bin/bash
# Issue 21's check on real regions: synth N children, ingest them into a fresh SQLite store,
# write the national return of each year with data and audit it with `safeguard stats audit`.
#   scripts/stats_region_audit.sh 20000        (uses safeguard from PATH)
set -euo pipefail
N=${1:?children}
D=$(mktemp -d "/tmp/stats-region-$N.XXXX")
export SAFEGUARD_DATABASE_URL="sqlite:///$D/store.db"
safeguard synth --children "$N" --seed 11 --out "$D/region" > "$D/synth.log"
safeguard ingest "$D/region" > "$D/ingest.log"
for year in 2022 2023 2024 2025; do
  start=$(date +%s.%N)
  if safeguard stats report --year "$year" --out "$D/r$year" > "$D/report$year.log" 2>&1; then
    result=$(safeguard stats audit "$D/r$year" | tail -1)
    end=$(date +%s.%N)
    echo "children=$N year=$year: $result (report + audit $(echo "$end - $start" | bc) s)"
  else
    echo "children=$N year=$year: $(tr '\n' ' ' < "$D/report$year.log")"
  fi
done
rm -rf "$D"
