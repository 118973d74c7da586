#!/usr/bin/env bash
# Cold start: launch to first query result of the 100-entity model (Premix.Benchmarks.ColdStart), one process per run.
#   build/cold-start.sh [ROUNDS] [MODES]   ROUNDS rounds (default 11) after one warm-up round, in each of MODES (default
#                                          "jit r2r": the plain build and a ReadyToRun publish); each round runs every
#                                          contender once, in turn, so load drift hits all of them alike.
# Every run's output is checked: each contender must print row 1 of entity050 with every column as expected, else the
# script stops. Prints per contender the median wall time, CPU time (user + system) and peak memory (max RSS), and the
# median of the rounds' ratios premix/ef, premix/ef-compiled, premix/dapper, premix/ado and the same for premix-generated
# (Premix on its generated model, Model/Generated) (wall and CPU), the figures the issue's targets are stated in, with the load average before and after each mode (figures under load are indicative).
# Needs: the .NET SDK, bash 5 (EPOCHREALTIME, microseconds), GNU time at /usr/bin/time (CPU and RSS), awk, sort.
# ReadyToRun publishing downloads the linux-x64 runtime and crossgen packs once, through the ordinary restore.
# build/start-phases.sh splits one contender's start into phases; build/start-counts.sh counts what a start loads.
set -euo pipefail
rounds=${1:-11}
read -r -a modes <<<"${2:-}"
((${#modes[@]})) || modes=(jit r2r) # an empty MODES is the default too
# Checked before anything is published: a bad argument must not cost a publish first.
if [[ ! $rounds =~ ^[1-9][0-9]*$ ]]; then
  echo "ROUNDS must be a whole number of at least 1, not '$rounds'" >&2
  exit 2
fi
# shellcheck source=build/cold-start-common.sh
. "$(dirname "$0")/cold-start-common.sh"
check_modes "${modes[@]}"
contenders=(premix premix-generated ef ef-compiled dapper ado)
expected='1 row C1 12.5 3 2026-01-02 03:04:05 True null 0.5 null'

publish_modes "$out" "${modes[@]}"
"$out/${modes[0]}/Premix.Benchmarks.ColdStart" setup "$out/cold.db" >/dev/null

# Prints nothing for no input (a CPU ratio with every divisor 0).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The row a contender printed must be the expected one: a contender that fails or maps a column wrongly stops the run.
check() {
  local mode=$1 contender=$2 status=$3 printed
  printed=$(cat "$out/printed")
  if ((status != 0)) || [[ $printed != "$expected" ]]; then
    echo "$mode $contender exited with $status and printed '$printed', expected '$expected'" >&2
    exit 1
  fi
}

# One run: appends "wall cpu peakKiB" (seconds, seconds, KiB) to $out/<mode>-<contender>.
run() {
  local mode=$1 contender=$2 start end status=0
  start=$EPOCHREALTIME
  # A failing contender's status passes through time; check reports it with what was printed (its stderr shows as it is).
  /usr/bin/time -f '%U %S %M' -o "$out/last" "$out/$mode/Premix.Benchmarks.ColdStart" "$contender" "$out/cold.db" >"$out/printed" || status=$?
  end=$EPOCHREALTIME
  check "$mode" "$contender" "$status"
  awk -v s="$start" -v e="$end" '{ printf "%.6f %.2f %d\n", e - s, $1 + $2, $3 }' "$out/last" >>"$out/$mode-$contender"
}

for mode in "${modes[@]}"; do
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  for contender in "${contenders[@]}"; do # warm-up: disk cache
    status=0
    "$out/$mode/Premix.Benchmarks.ColdStart" "$contender" "$out/cold.db" >"$out/printed" || status=$?
    check "$mode" "$contender" "$status"
  done
  for _ in $(seq "$rounds"); do
    for contender in "${contenders[@]}"; do run "$mode" "$contender"; done
  done
  printf '\n%s, %s rounds, load average %s before, %s after\n' "$mode" "$rounds" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-17s %14s %13s %16s\n' contender "median wall s" "median cpu s" "median peak MiB"
  for contender in "${contenders[@]}"; do
    f="$out/$mode-$contender"
    printf '%-17s %14.3f %13.2f %16.1f\n' "$contender" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median | awk '{ print $1 / 1024 }')"
  done
  for premix in premix premix-generated; do
    for other in "${contenders[@]:2}"; do
      # Line i of both files is round i: the ratio is taken within the round, then the median over the rounds.
      wall=$(paste -d' ' "$out/$mode-$premix" "$out/$mode-$other" | awk '{ print $1 / $4 }' | median)
      cpu=$(paste -d' ' "$out/$mode-$premix" "$out/$mode-$other" | awk '$5 > 0 { print $2 / $5 }' | median | awk 'NF { printf "%.2f", $1 }')
      printf '%-29s median of round ratios: wall %.2f, cpu %s\n' "$premix/$other" "$wall" "${cpu:-n/a}"
    done
  done
done
