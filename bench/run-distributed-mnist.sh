#!/usr/bin/env bash
# MNIST 784-128-10 (SGD, lr 0.1, seed 1) trained by one process with batches of 2B and by two processes (mpirun,
# --distributed) with batches of B each: the test accuracy and the samples/s of each epoch, for the comparison in
# docs/distributed-scaling.md. One process runs with --threads 2 (this machine's cores) and with --threads 1; each of the
# two processes with --threads 1. Usage: bench/run-distributed-mnist.sh [EPOCHS, default 5] [B, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-5}
batch=${2:-32}
scripts/get-data.sh mnist >/dev/null
dotnet build src/Backprop.Cli -c Release >/dev/null
cli=src/Backprop.Cli/bin/Release/net10.0/Backprop.Cli.dll
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=(train --data data/mnist --layers 784,128,10 --epochs "$epochs" --seed 1)
for threads in 2 1; do
  echo "== one process, batch $((2 * batch)), $threads threads"
  dotnet "$cli" "${common[@]}" --batch-size $((2 * batch)) --threads "$threads" --save "$out/one.safetensors" | grep -E '^(epoch|test)'
done
echo "== two processes, batch $batch each, 1 thread each"
mpirun --allow-run-as-root --oversubscribe -np 2 dotnet "$cli" "${common[@]}" --batch-size "$batch" --threads 1 --distributed \
  --save "$out/two.safetensors" | grep -E '^(epoch|test)'
