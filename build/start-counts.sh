#!/usr/bin/env bash
# What a cold start loads and compiles, counted exactly (docs/performance.md): for the contenders premix, premix-generated
# and dapper of Premix.Benchmarks.ColdStart (100 entities, SQLite, launch to the first get), per mode and run:
#   types     types the runtime loaded (TypeLoadStop events, counted in-process by the startup hook build/start-counter)
#   entity    of which a name contains Entity000-Entity099: the model's entities, their maps and generated plans, and
#             every generic instantiation over them (EntityBuilder<Entity007>, Func<Entity007, long>, List<Entity007>, …)
#   premix    of the rest (not entity), Premix's own types: a name starting Premix. (the benchmark's Premix.ColdStart. left out)
#   over      of the rest, framework generics over a Premix type (a name not starting Premix. that names one: Func<…Plan…>)
#   r2r       methods whose ReadyToRun code the runtime looked up (R2RGetEntryPoint events)
#   asm       assemblies loaded at exit (AppDomain.GetAssemblies)
#   jit       methods JIT-compiled, tier-1 recompilations left out (DOTNET_JitDisasmSummary=1, a run without the hook,
#             whose own code would be counted)
#   build/start-counts.sh [MODES] [RUNS]   MODES "jit r2r" by default (cold-start.sh's two publishes), RUNS 3 (types vary
#                                          by a few percent between runs with background threads; the JIT count does not).
# START_COUNTS_PUBLISHED=DIR reuses publishes in DIR/jit and DIR/r2r (as cold-start.sh makes them) instead of publishing.
# Also writes each run's type list to $START_COUNTS_KEEP/<mode>-<contender>-<run>.types when START_COUNTS_KEEP is set.
set -euo pipefail
read -r -a modes <<<"${1:-jit r2r}"
runs=${2:-3}
if [[ ! $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "RUNS must be a whole number of at least 1, not '$runs'" >&2
  exit 2
fi
# shellcheck source=build/cold-start-common.sh
. "$(dirname "$0")/cold-start-common.sh"
check_modes "${modes[@]}"
published=${START_COUNTS_PUBLISHED:-$out}

dotnet build "$root/build/start-counter/StartCounter.csproj" -c Release -o "$out/hook" >"$out/hook.log" || { cat "$out/hook.log" >&2; exit 1; }
[[ -n ${START_COUNTS_PUBLISHED:-} ]] || publish_modes "$out" "${modes[@]}"
"$published/${modes[0]}/Premix.Benchmarks.ColdStart" setup "$out/cold.db" >/dev/null

printf 'load average %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %-17s %3s %7s %7s %7s %7s %7s %4s %5s\n' mode contender run types entity premix over r2r asm jit
for mode in "${modes[@]}"; do
  for contender in premix premix-generated dapper; do
    for run in $(seq "$runs"); do
      DOTNET_STARTUP_HOOKS="$out/hook/StartCounter.dll" START_COUNTS_OUT="$out/counts" \
        "$published/$mode/Premix.Benchmarks.ColdStart" "$contender" "$out/cold.db" >/dev/null
      rm -f "$out/jit.txt" # DOTNET_JitStdOutFile appends
      DOTNET_JitDisasmSummary=1 DOTNET_JitStdOutFile="$out/jit.txt" \
        "$published/$mode/Premix.Benchmarks.ColdStart" "$contender" "$out/cold.db" >/dev/null
      read -r _ types _ r2r _ asm < <(head -1 "$out/counts")
      entity=$(grep -cE '^T .*Entity[0-9]{3}' "$out/counts" || true)
      grep '^T ' "$out/counts" | grep -vE 'Entity[0-9]{3}' >"$out/rest" || true
      premix=$(grep -E '^T Premix\.' "$out/rest" | grep -vcE '^T Premix\.ColdStart\.' || true)
      over=$(grep -vE '^T Premix\.' "$out/rest" | grep -c 'Premix\.' || true)
      jit=$(grep 'JIT compiled' "$out/jit.txt" | grep -vc 'Tier1' || true)
      printf '%-4s %-17s %3s %7s %7s %7s %7s %7s %4s %5s\n' "$mode" "$contender" "$run" "$types" "$entity" "$premix" "$over" "$r2r" "$asm" "$jit"
      [[ -z ${START_COUNTS_KEEP:-} ]] || cp "$out/counts" "$START_COUNTS_KEEP/$mode-$contender-$run.types"
    done
  done
done
