#!/usr/bin/env bash
# Where a cold start's time goes, phase by phase (docs/performance.md): runs contenders of Premix.Benchmarks.ColdStart
# (100 entities, SQLite, launch to the first get) with PREMIX_START_PHASES=1, under which Premix (Premix.Mapping's
# StartPhases) and the benchmark mark where the start is, then prints per contender, for each span between two marks
# in order (launch>main, main>build, …, created>got, result>exit), the median over the runs of its wall time, its CPU time
# (the process's, user + system, all threads) and that CPU as a share of the whole process's (GNU time), then a few spans
# that group phases, the maps' among them (maps>validated: the mapping classes' Configure calls to the model built and
# validated; maps>plans-checked: to the generated model checked against it and the plans built).
#   build/start-phases.sh [RUNS] [MODE] [CONTENDERS]   RUNS 11, MODE r2r (or jit), CONTENDERS "premix-generated premix dapper";
#                                                      each run takes every contender in turn, after one warm-up run each.
# Then, from START_PHASES_COUNT_RUNS runs (default 1; 0 for none) under the startup hook build/start-counter, what each span
# loads: types (TypeLoadStop), methods entered through ReadyToRun code (R2RGetEntryPoint) and methods the JIT started
# compiling (MethodJittingStarted, rejits included), by the events' times. The hook slows what it watches: its runs are not timed.
# START_PHASES_PUBLISHED=DIR reuses a publish in DIR/MODE (as build/cold-start.sh makes it) instead of publishing.
# Marks (Premix): build (PremixFactory.Create/AddPremix entered), scanned (AddModelConfigurationsFrom's scan done),
# configured-options (the options lambda done: with the generated model, PremixModel.Instance read), maps (before the first
# map's Configure), configured (every Configure run), entities (entity models made), validated (relations, insert order),
# provider-ready (the provider given the model, Dapper's handlers), structure-checked (the generated model compared with
# the model), plans (plans built), plans-checked (their statements compared), filters-checked, runtime, database, started;
# the benchmark's: main, created (Create returned), got (the first get returned), result (the unit of work and Premix disposed).
# Timing on a loaded machine is noise: read the CPU shares there, and take wall times from a quiet run.
set -euo pipefail
runs=${1:-11}
mode=${2:-r2r}
read -r -a contenders <<<"${3:-premix-generated premix dapper}"
if [[ ! $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "RUNS must be a whole number of at least 1, not '$runs'" >&2
  exit 2
fi
count_runs=${START_PHASES_COUNT_RUNS:-1}
# shellcheck source=build/cold-start-common.sh
. "$(dirname "$0")/cold-start-common.sh"
check_modes "$mode"
published=${START_PHASES_PUBLISHED:-$out}
[[ -n ${START_PHASES_PUBLISHED:-} ]] || publish_modes "$out" "$mode"
app="$published/$mode/Premix.Benchmarks.ColdStart"
expected='1 row C1 12.5 3 2026-01-02 03:04:05 True null 0.5 null'
"$app" setup "$out/cold.db" >/dev/null

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One run: appends "run span wall_us cpu_us total_cpu_us" lines to $out/<contender>.spans (spans in the order of the marks).
run() {
  local contender=$1 n=$2 start end status=0
  start=$EPOCHREALTIME
  PREMIX_START_PHASES=1 /usr/bin/time -f '%U %S' -o "$out/time" "$app" "$contender" "$out/cold.db" >"$out/printed" 2>"$out/marks" || status=$?
  end=$EPOCHREALTIME
  if ((status != 0)) || [[ $(cat "$out/printed") != "$expected" ]]; then
    echo "$contender exited with $status and printed '$(cat "$out/printed")', expected '$expected'" >&2
    cat "$out/marks" >&2
    exit 1
  fi
  # Marks in time order; a tie in wall time (two marks in the same microsecond) goes by CPU, then by the order written.
  { echo "phase launch ${start/./} 0"; grep '^phase ' "$out/marks"; awk -v e="${end/./}" '{ printf "phase exit %s %.0f\n", e, ($1 + $2) * 1e6 }' "$out/time"; } \
    | sort -s -k3,3n -k4,4n | awk -v n="$n" '
        { name[NR] = $2; wall[NR] = $3; cpu[NR] = $4 }
        END { for (i = 2; i <= NR; i++) printf "%s %s>%s %d %d %d\n", n, name[i - 1], name[i], wall[i] - wall[i - 1], cpu[i] - cpu[i - 1], cpu[NR] }' >>"$out/$contender.spans"
  cp "$out/marks" "$out/$contender.marks" # the last run's marks, for the grouped spans
}

for contender in "${contenders[@]}"; do # warm-up: disk cache
  "$app" "$contender" "$out/cold.db" >/dev/null
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $(seq "$runs"); do
  for contender in "${contenders[@]}"; do run "$contender" "$n"; done
done
printf '%s, %s runs, load average %s before, %s after\n' "$mode" "$runs" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"

# Grouped spans: FROM>TO over the marks of each run (a run without either mark has no such span).
groups='launch>exit launch>main main>build build>started maps>validated maps>plans-checked validated>started started>got created>got'
for contender in "${contenders[@]}"; do
  printf '\n%s: median over %s runs\n%-36s %9s %9s %11s\n' "$contender" "$runs" span "wall ms" "cpu ms" "cpu share %"
  f="$out/$contender.spans"
  for span in $(awk '$1 == 1 { print $2 }' "$f"); do
    printf '%-36s %9.1f %9.1f %11.1f\n' "$span" \
      "$(awk -v s="$span" '$2 == s { print $3 / 1000 }' "$f" | median)" \
      "$(awk -v s="$span" '$2 == s { print $4 / 1000 }' "$f" | median)" \
      "$(awk -v s="$span" '$2 == s && $5 > 0 { print 100 * $4 / $5 }' "$f" | median)"
  done
  printf '%s\n' '-- grouped'
  for group in $groups; do
    from=${group%>*} to=${group#*>}
    # Sum the consecutive spans from FROM to TO, run by run.
    awk -v from="$from" -v to="$to" '
        { split($2, p, ">") }
        p[1] == from { on[$1] = 1; w[$1] = 0; c[$1] = 0 }
        on[$1] { w[$1] += $3; c[$1] += $4; t[$1] = $5 }
        p[2] == to && on[$1] { on[$1] = 0; done[$1] = 1 }
        END { for (r in done) printf "%d %d %d\n", w[r], c[r], t[r] }' "$f" >"$out/group"
    [[ -s $out/group ]] || continue
    printf '%-36s %9.1f %9.1f %11.1f\n' "$group" \
      "$(awk '{ print $1 / 1000 }' "$out/group" | median)" "$(awk '{ print $2 / 1000 }' "$out/group" | median)" \
      "$(awk '$3 > 0 { print 100 * $2 / $3 }' "$out/group" | median)"
  done
done

((count_runs > 0)) || exit 0
dotnet build "$root/build/start-counter/StartCounter.csproj" -c Release -o "$out/hook" >"$out/hook.log" || { cat "$out/hook.log" >&2; exit 1; }
for contender in "${contenders[@]}"; do
  printf '\n%s under the start counter, %s run(s): types, ReadyToRun entries and JIT compilations in each span\n%-36s %6s %6s %6s\n' \
    "$contender" "$count_runs" span types r2r jit
  for n in $(seq "$count_runs"); do
    start=$EPOCHREALTIME
    DOTNET_STARTUP_HOOKS="$out/hook/StartCounter.dll" START_COUNTS_OUT="$out/counts" START_COUNTS_TIMES=1 PREMIX_START_PHASES=1 \
      "$app" "$contender" "$out/cold.db" >/dev/null 2>"$out/marks"
    end=$EPOCHREALTIME
    { echo "phase launch ${start/./} 0"; grep '^phase ' "$out/marks"; echo "phase exit ${end/./} 0"; } | sort -s -k3,3n -k4,4n >"$out/sorted"
    # Each event goes to the span whose marks enclose its time.
    awk -v n="$n" '
        FNR == NR { name[FNR] = $2; at[FNR] = $3; marks = FNR; next }
        /^T / { kind = "T"; time = $NF }
        /^[RJ] / { kind = $1; time = $2 }
        /^[TRJ] / {
          i = 2; while (i < marks && time >= at[i]) i++
          count[i, kind]++
        }
        END { for (i = 2; i <= marks; i++) printf "%s %s>%s %d %d %d\n", n, name[i - 1], name[i], count[i, "T"], count[i, "R"], count[i, "J"] }' \
      "$out/sorted" <(tail -n +2 "$out/counts") >>"$out/$contender.counts"
  done
  for span in $(awk '$1 == 1 { print $2 }' "$out/$contender.counts"); do
    printf '%-36s %6s %6s %6s\n' "$span" \
      "$(awk -v s="$span" '$2 == s { print $3 }' "$out/$contender.counts" | median)" \
      "$(awk -v s="$span" '$2 == s { print $4 }' "$out/$contender.counts" | median)" \
      "$(awk -v s="$span" '$2 == s { print $5 }' "$out/$contender.counts" | median)"
  done
  printf '%-36s %6s %6s %6s\n' total "$(awk '{ t += $3 } END { print t / '"$count_runs"' }' "$out/$contender.counts")" \
    "$(awk '{ t += $4 } END { print t / '"$count_runs"' }' "$out/$contender.counts")" "$(awk '{ t += $5 } END { print t / '"$count_runs"' }' "$out/$contender.counts")"
done
