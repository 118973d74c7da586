#!/usr/bin/env bash
# Writes Generated/: Premix's generated model of the 100-entity model (`premix optimize`, docs/aot.md), which the
# premix-generated contender of build/cold-start.sh registers with UseGeneratedModel. Run it after generate.py has changed
# the model; the output is committed, so the benchmark builds without the tool. With --check it writes nothing and exits
# with 2 when Generated/ is not what premix optimize would write now (ColdStartGeneratedModelTests checks the same in CI).
#   Premix.Benchmarks.ColdStart/Model/optimize-premix.sh [--check]
# A throwaway project compiles the entities and maps from their .g.cs files (not the benchmark, whose premix-generated
# contender needs Generated/ to build); the tool is this repository's Premix.Cli, run on that project's assembly with the
# benchmark's provider and naming convention. Needs the .NET SDK.
set -euo pipefail
model=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$model")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir "$work/design"
cat >"$work/design/Design.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="$model/Entities.g.cs;$model/Maps.g.cs" />
    <ProjectReference Include="$root/Premix.Providers/Premix.Providers.Sqlite/Premix.Providers.Sqlite.csproj" />
  </ItemGroup>
</Project>
XML

dotnet build "$work/design" -c Release -o "$work/out" >"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
dotnet run --project "$root/Premix.Cli" -c Release -- optimize --assembly "$work/out/Design.dll" --provider sqlite --naming snake-case \
  --output "$model/Generated" --namespace Premix.ColdStart.Model.Generated "$@"
