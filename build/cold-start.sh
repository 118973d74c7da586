#!/usr/bin/env bash
# Cold start: launch to first query result of the 100-entity model (Premix.Benchmarks.ColdStart), one process per run.
#   build/cold-start.sh [ROUNDS]   JIT and ReadyToRun builds; ROUNDS rounds (default 11) after one warm-up round; each
#                                  round runs premix, ef, dapper and ado once, in turn, so load drift hits all of them alike.
# Prints per contender the median wall time, CPU time (user + system) and peak memory (max RSS), and the median of the
# rounds' ratios premix/ef, premix/dapper, premix/ado (wall and CPU), the figures the issue's targets are stated in.
# Needs: the .NET SDK, bash 5 (EPOCHREALTIME, microseconds), GNU time at /usr/bin/time (CPU and RSS), awk, sort.
# ReadyToRun publishing downloads the linux-x64 runtime and crossgen packs once, through the ordinary restore.
set -euo pipefail
rounds=${1:-11}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
project="$root/Premix.Benchmarks.ColdStart"
contenders=(premix ef dapper ado)
dotnet publish "$project" -c Release -o "$out/jit" >/dev/null
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/r2r" >/dev/null
"$out/jit/Premix.Benchmarks.ColdStart" setup "$out/cold.db" >/dev/null

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One run: appends "wall cpu peakKiB" (seconds, seconds, KiB) to $out/<mode>-<contender>.
run() {
  local mode=$1 contender=$2 start end
  start=$EPOCHREALTIME
  /usr/bin/time -f '%U %S %M' -o "$out/last" "$out/$mode/Premix.Benchmarks.ColdStart" "$contender" "$out/cold.db" >/dev/null
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" '{ printf "%.6f %.2f %d\n", e - s, $1 + $2, $3 }' "$out/last" >>"$out/$mode-$contender"
}

for mode in jit r2r; do
  for contender in "${contenders[@]}"; do "$out/$mode/Premix.Benchmarks.ColdStart" "$contender" "$out/cold.db" >/dev/null; done # warm-up: disk cache
  for _ in $(seq "$rounds"); do
    for contender in "${contenders[@]}"; do run "$mode" "$contender"; done
  done
  printf '\n%s, %s rounds\n%-8s %14s %13s %16s\n' "$mode" "$rounds" contender "median wall s" "median cpu s" "median peak MiB"
  for contender in "${contenders[@]}"; do
    f="$out/$mode-$contender"
    printf '%-8s %14.3f %13.2f %16.1f\n' "$contender" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median | awk '{ print $1 / 1024 }')"
  done
  for other in ef dapper ado; do
    # Line i of both files is round i: the ratio is taken within the round, then the median over the rounds.
    wall=$(paste -d' ' "$out/$mode-premix" "$out/$mode-$other" | awk '{ print $1 / $4 }' | median)
    cpu=$(paste -d' ' "$out/$mode-premix" "$out/$mode-$other" | awk '$5 > 0 { print $2 / $5 }' | median | awk '{ printf "%.2f", $1 }')
    printf 'premix/%-7s median of round ratios: wall %.2f, cpu %s\n' "$other" "$wall" "${cpu:-n/a}"
  done
done
