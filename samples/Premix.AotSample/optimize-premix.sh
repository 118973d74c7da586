#!/usr/bin/env bash
# Writes Generated/Sqlite, Generated/PostgreSql and Generated/MySql: the sample's generated model for each engine it runs on (`premix
# optimize`, docs/aot.md), which Program.cs registers with UseGeneratedModel. Run it after changing the entities or their
# maps, or when Premix's generated-code format changes (the native binary then refuses to start with
# GeneratedModelMismatchException); the output is committed. With --check it writes nothing and exits with 2 when a folder
# is not what premix optimize would write now, 3 when the sample did not start (so its AddPremix was not read)
# (NativeAotPublishTests runs it so in CI).
#   samples/Premix.AotSample/optimize-premix.sh [--check] [--configuration Release] [--tool path/to/premix.dll]
# Without --tool it builds the sample (for the JIT: premix loads its assembly) and this repository's Premix.Cli; with it
# (the tests pass the tool they built) it builds nothing and reads the sample's build of that configuration. premix runs in
# the sample's folder, as a developer would run it: it reads AddPremix (the naming convention, the maps) from the app's
# host, even while a folder is out of date (at design time Premix neither checks nor uses a generated model); the connection
# string only names the engine (premix optimize opens no connection). Needs the .NET SDK.
set -euo pipefail
sample=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$sample")")
configuration=Release
tool=
check=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --check) check=(--check); shift ;;
    --configuration) configuration=$2; shift 2 ;;
    --tool) tool=$(realpath "$2"); shift 2 ;;
    *) echo "usage: $0 [--check] [--configuration Release] [--tool path/to/premix.dll]" >&2; exit 64 ;;
  esac
done

if [[ -z $tool ]]; then
  for project in "$sample" "$root/Premix.Cli"; do
    log=$(dotnet build "$project" -c "$configuration" 2>&1) || { echo "$log" >&2; exit 1; }
  done
  tool=$root/Premix.Cli/bin/$configuration/net10.0/premix.dll
fi

cd "$sample"
status=0
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
for engine in "sqlite;Data Source=:memory:;Sqlite" "postgresql;Host=127.0.0.1;Database=shop;PostgreSql" "mysql;Server=127.0.0.1;Database=shop;MySql"; do
  provider=${engine%%;*}
  folder=${engine##*;}
  connection=${engine#*;}
  connection=${connection%;*}
  dotnet "$tool" optimize "${check[@]}" --provider "$provider" --connection "$connection" \
    --assembly "$sample/bin/$configuration/net10.0/Premix.AotSample.dll" --output "Generated/$folder" \
    --namespace "AotShop.Generated.$folder" 2> "$errors" || status=$?
  cat "$errors" >&2
  # "Up to date" only says something when premix read the app's own AddPremix: when the sample's start failed, premix
  # compared against the mapping classes and the options above, which would not see a change of Program.cs.
  if [[ ${#check[@]} -gt 0 && $status -eq 0 ]] && grep -q "premix goes on with the options given" "$errors"; then
    echo "$folder: the sample did not start, so its AddPremix was not read (above); fix its start and check again." >&2
    status=3
  fi
done
exit $status
