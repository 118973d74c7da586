# Sourced by build/cold-start.sh, build/start-counts.sh and build/start-phases.sh: what they share about the cold-start
# benchmark (Premix.Benchmarks.ColdStart) and its two builds. Defines root, out (a temporary folder removed at exit),
# project, and:
#   check_modes MODE...     exits with 2 on a mode other than jit or r2r (before anything is published)
#   publish_modes DIR MODE...   publishes the benchmark into DIR/jit (the plain build) and DIR/r2r (ReadyToRun), as every
#                               figure in docs/performance.md was taken; prints the publish log and exits on failure.
# ReadyToRun publishing downloads the linux-x64 runtime and crossgen packs once, through the ordinary restore.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
project="$root/Premix.Benchmarks.ColdStart"

check_modes() {
  local mode
  for mode in "$@"; do
    [[ $mode == jit || $mode == r2r ]] || { echo "unknown mode '$mode': use jit, r2r or \"jit r2r\"" >&2; exit 2; }
  done
}

publish_modes() {
  local dir=$1 mode
  shift
  for mode in "$@"; do
    case $mode in
      jit) dotnet publish "$project" -c Release -o "$dir/jit" >"$out/publish.log" ;;
      r2r) dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$dir/r2r" >"$out/publish.log" ;;
    esac || { cat "$out/publish.log" >&2; exit 1; }
  done
}
