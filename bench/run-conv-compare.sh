#!/usr/bin/env bash
# The conv nets against libtorch, each library in a process of its own (bench/Compare --side ...), so that one library's
# spinning worker threads never take the other's core. Prints the markdown tables for bench/RESULTS.md.
# Usage: bench/run-conv-compare.sh [ROUNDS] [STEPS] [WARMUP]     (defaults 5 rounds, 300 steps, 20 warm-up steps)
#   Each round runs, for every workload, Backprop's process then libtorch's (A, B, A, B, …), after one FMA-peak process:
#   lenet5 and fashion-conv train STEPS steps after WARMUP; lenet5-inference makes 100·STEPS single-image calls (after a
#   tenth as many); conv-forward and conv-forward-backward make STEPS calls of the 32→64 3×3 convolution after WARMUP.
#   Threads: BACKPROP_THREADS if set, else all cores; the same count goes to Backprop.Threads.Count and torch.set_num_threads.
#   The raw JSON lines are kept in bench/Compare/bin/conv-compare-*.jsonl; the summary exits 1 if a check disagrees.
# Needs data/mnist and data/fashion-mnist (scripts/get-data.sh; Fashion-MNIST comes from a Debian package, as root).
# TorchSharp-cpu 0.107.0 loads on Debian 12 through the team's shim, exactly as in bench/run-compare.sh (see there).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tool="$root/../shared/tools/torchsharp-debian12/apply.sh"
out="$root/bench/Compare/bin/Release/net10.0"
rounds=${1:-5}
steps=${2:-300}
warmup=${3:-20}
threads=${BACKPROP_THREADS:-$(nproc)}
workloads=(lenet5 fashion-conv lenet5-inference conv-forward conv-forward-backward)
cd "$root"
[ -d data/mnist ] || scripts/get-data.sh mnist
[ -d data/fashion-mnist ] || scripts/get-data.sh fashion-mnist
dotnet build -c Release bench/Compare -v quiet -nologo >/dev/null
bash "$tool" "$out" >/dev/null
results="$root/bench/Compare/bin/conv-compare-$(date +%Y%m%d-%H%M%S).jsonl"

side() { # side WORKLOAD: one process; the shim is preloaded for libtorch's only
  local preload=""
  [ "$1" = torch ] && preload="$out/libglibcxx_shim.so"
  LD_PRELOAD="$preload" dotnet "$out/Compare.dll" --side "$1" --workload "$2" --steps "$steps" --warmup "$warmup" --threads "$threads" --data data >>"$results"
}

for ((round = 1; round <= rounds; round++)); do
  echo "round $round/$rounds" >&2
  side backprop fma-peak
  for workload in "${workloads[@]}"; do
    side backprop "$workload"
    side torch "$workload"
  done
done
echo "raw results: ${results#"$root"/}" >&2
dotnet "$out/Compare.dll" --summarize "$results"
