#!/usr/bin/env bash
# Writes Compiled/: EF Core's compiled model of ColdStartContext (`dotnet ef dbcontext optimize`), which the ef-compiled
# contender of build/cold-start.sh passes to UseModel. Run it after generate.py has changed the model; the output is
# committed, so the benchmark builds without the tool.
#   Premix.Benchmarks.ColdStart/Model/optimize-ef.sh
# What the tool needs stays out of the repository: dotnet-ef (the EF Core version of Directory.Packages.props) is installed
# into a temporary tool path, and a throwaway project compiles the context and the entities from their .g.cs files,
# references Microsoft.EntityFrameworkCore.Design and tells the tool how to create the context (it does not build the
# benchmark, whose ef-compiled contender needs Compiled/ to build). Needs the .NET SDK and NuGet.
set -euo pipefail
model=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$model")")
version=$(sed -n 's/.*Include="Microsoft.EntityFrameworkCore.Sqlite" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet tool install dotnet-ef --version "$version" --tool-path "$work/tools" >/dev/null
mkdir "$work/design"
cat >"$work/design/Design.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="$model/Entities.g.cs;$model/ColdStartContext.g.cs" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="$version" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="$version" />
  </ItemGroup>
</Project>
XML
cat >"$work/design/Design.cs" <<'CS'
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Premix.ColdStart.Model;

// The context takes its options from its creator: the tool creates it here (no connection is opened).
public sealed class ColdStartContextFactory : IDesignTimeDbContextFactory<ColdStartContext>
{
    public ColdStartContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<ColdStartContext>().UseSqlite("Data Source=:memory:").Options);
}

public static class Design
{
    public static void Main()
    {
    }
}
CS

dotnet restore "$work/design" >/dev/null
rm -rf "$model/Compiled"
"$work/tools/dotnet-ef" dbcontext optimize --project "$work/design" --context ColdStartContext \
  --output-dir "$model/Compiled" --namespace Premix.ColdStart.Model.Compiled >/dev/null
# EF Core also finds a compiled model through an assembly attribute (DbContextModel), without UseModel; EF Core 10's tool
# writes none here, but one would turn the plain ef contender into a second compiled one: each contender chooses its model.
rm -f "$model/Compiled/"*AssemblyAttributes.cs
