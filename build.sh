#!/usr/bin/env bash
# Entry point of the Premix build: restores the pinned Cake.Tool and runs build.cake.
#   ./build.sh                    build and run the tests on SQLite, PostgreSQL and MariaDB (target Test)
#   ./build.sh --target=Build     see build.cake for the targets and arguments
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false

dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
