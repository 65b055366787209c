#!/usr/bin/env bash
# Runs the side-by-side comparison of Backprop with libtorch (bench/Compare) and prints its table.
# Usage: bench/run-compare.sh [RUNS]           the table of ratios (default 5 runs; needs data/mnist, see scripts/get-data.sh)
#        bench/run-compare.sh profile [RUNS]   where each library spends a step: time and managed bytes per phase
#
# TorchSharp-cpu 0.107.0's native library asks for GLIBCXX_3.4.32 and Debian 12's libstdc++ stops at 3.4.30. The
# team's tool in ../shared/tools/torchsharp-debian12 fixes that inside this bench's own build output only: it marks
# that one requirement weak in the bench's copy of libLibTorchSharp.so and builds a tiny shim library defining the
# symbol, which is preloaded for this run alone. Nothing in the system or the NuGet cache changes, and libtorch's
# compute code is untouched.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tool="$root/../shared/tools/torchsharp-debian12/apply.sh"
out="$root/bench/Compare/bin/Release/net10.0"
cd "$root"
[ -d data/mnist ] || scripts/get-data.sh mnist
dotnet build -c Release bench/Compare -v quiet -nologo
bash "$tool" "$out" >/dev/null
LD_PRELOAD="$out/libglibcxx_shim.so" dotnet "$out/Compare.dll" "$@"
