#!/usr/bin/env bash
# Backprop against libtorch, each library in a process of its own (bench/Compare --side ...), so that one library's
# spinning worker threads never take the other's core. Prints the markdown tables for bench/RESULTS.md.
# Usage: [WORKLOADS="GROUP|NAME ..."] [EPOCHS=E] bench/run-separate-compare.sh [ROUNDS] [STEPS] [WARMUP]
#        (defaults: WORKLOADS=conv, 5 rounds, 300 steps, 20 warm-up steps; whole runs their own epochs)
#   WORKLOADS names groups or single workloads (their list: bench/Compare/SeparateWorkload.cs):
#     conv   lenet5 fashion-conv lenet5-inference conv-forward conv-forward-backward
#     mlp    mlp-128-b64 mlp-128-b256 mlp-512-512-b128 gemm-1024 mlp-inference (the MLP table of bench/run-compare.sh)
#     whole  lenet5-run fashion-conv-run: one whole training run per process (10 and 15 epochs, EPOCHS=E for all)
#     all    every group
#   Each round runs, for every workload, Backprop's process then libtorch's (A, B, A, B, …), after one FMA-peak process
#   when a layer or the GEMM is among them: training workloads take STEPS steps after WARMUP; single-image inference makes
#   100·STEPS calls (after a tenth as many); the layers and the GEMM make STEPS calls after WARMUP. A whole run ignores
#   STEPS and WARMUP: it trains its epochs on the whole shuffled training set, then measures the test accuracy.
#   Threads: BACKPROP_THREADS if set, else all cores; the same count goes to Backprop.Threads.Count and torch.set_num_threads.
#   The raw JSON lines are kept in bench/Compare/bin/separate-compare-*.jsonl (--summarize FILE prints the tables of any such
#   file again, every workload in it); the summary exits 1 if a check disagrees.
# Needs data/mnist, and data/fashion-mnist for fashion-conv and fashion-conv-run (scripts/get-data.sh; Fashion-MNIST comes
# from a Debian package, as root).
# TorchSharp-cpu 0.107.0 loads on Debian 12 through the team's shim, exactly as in bench/run-compare.sh (see there).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tool="$root/../shared/tools/torchsharp-debian12/apply.sh"
out="$root/bench/Compare/bin/Release/net10.0"
rounds=${1:-5}
steps=${2:-300}
warmup=${3:-20}
threads=${BACKPROP_THREADS:-$(nproc)}
cd "$root"
dotnet build -c Release bench/Compare -v quiet -nologo >/dev/null
bash "$tool" "$out" >/dev/null
# One line per workload: its name and how it is sized (steps, epochs, or peak for the FMA peak); unknown names fail here.
# shellcheck disable=SC2086 # WORKLOADS is a list of words
list="$(dotnet "$out/Compare.dll" --list ${WORKLOADS:-conv})"
[ -d data/mnist ] || scripts/get-data.sh mnist
if grep -q '^fashion' <<<"$list"; then [ -d data/fashion-mnist ] || scripts/get-data.sh fashion-mnist; fi
results="$root/bench/Compare/bin/separate-compare-$(date +%Y%m%d-%H%M%S).jsonl"

side() { # side SIDE WORKLOAD SIZING: one process; the shim is preloaded for libtorch's only
  local preload="" sizing=()
  [ "$1" = torch ] && preload="$out/libglibcxx_shim.so"
  case $3 in
    steps) sizing=(--steps "$steps" --warmup "$warmup") ;;
    epochs) if [ -n "${EPOCHS:-}" ]; then sizing=(--epochs "$EPOCHS"); fi ;;
  esac
  LD_PRELOAD="$preload" dotnet "$out/Compare.dll" --side "$1" --workload "$2" "${sizing[@]}" --threads "$threads" --data data </dev/null >>"$results"
}

for ((round = 1; round <= rounds; round++)); do
  echo "round $round/$rounds" >&2
  while read -r workload sizing; do
    side backprop "$workload" "$sizing"
    [ "$sizing" = peak ] || side torch "$workload" "$sizing"
  done <<<"$list"
done
echo "raw results: ${results#"$root"/}" >&2
dotnet "$out/Compare.dll" --summarize "$results"
