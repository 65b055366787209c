#!/usr/bin/env bash
# All-reduce latency and bandwidth between N processes on this machine (default 2) through Backprop's ProcessGroup:
# builds bench/Distributed in Release and runs it under mpirun. Usage: bench/run-allreduce.sh [PROCESSES] [REPETITIONS]
# (as root, mpirun needs --allow-run-as-root; --oversubscribe lets N exceed the cores).
set -euo pipefail
cd "$(dirname "$0")/.."
processes=${1:-2}
repetitions=${2:-50}
dotnet build bench/Distributed -c Release >/dev/null
mpirun --allow-run-as-root --oversubscribe -np "$processes" dotnet bench/Distributed/bin/Release/net10.0/Distributed.dll allreduce "$repetitions"
