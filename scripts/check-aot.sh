#!/usr/bin/env bash
# Publishes the Native AOT binary (scripts/publish-aot.sh) into FOLDER and runs it as a user would: its size (at most
# 10 MiB), then demo, explain, a short train on MNIST, eval, predict, export, graph and plot from its folder; and, copied
# alone into an empty folder, demo again and a plot, which must fail with one line naming SkiaSharp's libraries.
# Usage: scripts/check-aot.sh FOLDER   (needs data/mnist: scripts/get-data.sh mnist). Prints one line; exits non-zero
# at the first step that fails, naming it. CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1"
mkdir -p "$out"
step() { # step NAME COMMAND...: runs the command, its output into out/NAME.txt; names the step if it fails
  local name=$1; shift
  "$@" >"$out/$name.txt" 2>&1 || { echo "check-aot: $name failed:" >&2; tail -5 "$out/$name.txt" >&2; exit 1; }
}
step publish scripts/publish-aot.sh "$out/bin"
bin="$out/bin/backprop"
size=$(stat -c %s "$bin")
[ "$size" -le $((10 * 1024 * 1024)) ] || { echo "check-aot: the binary is $size bytes, over 10 MiB" >&2; exit 1; }
step demo "$bin" demo
grep -q "0.4745" "$out/demo.txt" || { echo "check-aot: demo did not print the article's table" >&2; exit 1; }
step explain "$bin" explain --layers 2,2,1
step train "$bin" train --data data/mnist --layers 784,128,10 --epochs 1 --steps 200 --save "$out/model.safetensors"
step eval "$bin" eval --data data/mnist --model "$out/model.safetensors"
step predict "$bin" predict --input data/mnist/t10k-images-idx3-ubyte --model "$out/model.safetensors"
step export "$bin" export --model "$out/model.safetensors" --onnx "$out/model.onnx"
step graph "$bin" graph --layers 2,2,1 --out "$out/graph.dot"
step plot "$bin" plot cost --out "$out/cost.png"
mkdir -p "$out/alone"
cp "$bin" "$out/alone/backprop"
step alone-demo "$out/alone/backprop" demo
if "$out/alone/backprop" plot cost --out "$out/alone/cost.png" >"$out/alone-plot.txt" 2>&1 \
  || [ "$(wc -l <"$out/alone-plot.txt")" -ne 1 ] || ! grep -q "libSkiaSharp.so" "$out/alone-plot.txt"; then
  echo "check-aot: a plot without SkiaSharp's libraries did not fail with one line:" >&2; head -5 "$out/alone-plot.txt" >&2; exit 1
fi
echo "aot: $bin ($size bytes; $(sed -n 's/^training .*; \(.* kernels\)$/\1/p' "$out/train.txt")) ran demo, explain, train ($(grep -o '[0-9]* samples/s' "$out/train.txt" | tail -1)), eval, predict, export, graph, plot; alone, a plot fails with one line"
