#!/usr/bin/env bash
# Torch threads on the embedded model, side by side: the same `cipo demo` run (quick audit, one round of 30 steps, models
# cached) on 1 and on 2 torch threads, alternating, REPEATS times each; prints every wall time and the medians.
#   bash bench/threads.sh [REPEATS (default 3)]
# Run `dotnet run -c Release --project src/Cipo.Cli -- demo` once first, so both models are cached.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
dotnet build -c Release src/Cipo.Cli >/dev/null
cli=src/Cipo.Cli/bin/Release/net10.0/Cipo.Cli.dll
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A times
for ((i = 1; i <= repeats; i++)); do
  for threads in 1 2; do
    start=$(date +%s.%N)
    dotnet "$cli" demo --quick --rounds 1 --steps-per-round 30 --threads "$threads" --out "$out/t$threads-$i" >/dev/null 2>&1 || [ $? -eq 1 ]
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
    times[$threads]="${times[$threads]:-} $t"
    printf 'run %d, %d thread(s): %.1f s\n' "$i" "$threads" "$t"
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
m1=$(median "${times[1]}"); m2=$(median "${times[2]}")
printf 'median: 1 thread %.1f s, 2 threads %.1f s, 2 threads / 1 thread = %.2f\n' "$m1" "$m2" "$(awk -v a="$m1" -v b="$m2" 'BEGIN {print b / a}')"
