#!/usr/bin/env bash
# Cold start: launch to first query result of the 100-entity model (Premix.Benchmarks.ColdStart), one process per run.
#   build/cold-start.sh [RUNS]     JIT and ReadyToRun builds; each contender RUNS times (default 11) after one warm-up;
#                                  prints the median wall time and the median peak memory (max RSS) per contender.
# Needs /usr/bin/time (GNU time). ReadyToRun publishing downloads the runtime and crossgen packs once.
set -euo pipefail
runs=${1:-11}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
project="$root/Premix.Benchmarks.ColdStart"
dotnet publish "$project" -c Release -o "$out/jit" >/dev/null
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/r2r" >/dev/null
"$out/jit/Premix.Benchmarks.ColdStart" setup "$out/cold.db" >/dev/null

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-5s %-8s %12s %14s\n' mode contender "median wall s" "median peak MiB"
for mode in jit r2r; do
  for contender in premix ef dapper ado; do
    exe="$out/$mode/Premix.Benchmarks.ColdStart"
    "$exe" "$contender" "$out/cold.db" >/dev/null # warm-up: disk cache
    : >"$out/times"
    for _ in $(seq "$runs"); do
      /usr/bin/time -f '%e %M' -a -o "$out/times" "$exe" "$contender" "$out/cold.db" >/dev/null
    done
    wall=$(cut -d' ' -f1 "$out/times" | median)
    peak=$(cut -d' ' -f2 "$out/times" | median)
    printf '%-5s %-8s %12s %14.1f\n' "$mode" "$contender" "$wall" "$(echo "$peak / 1024" | bc -l)"
  done
done
