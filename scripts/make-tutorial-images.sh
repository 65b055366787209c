#!/usr/bin/env bash
# Draws the images of docs/tutorial.md (docs/images/) with the backprop tool itself, so that they show what the code
# does now: the article's cost curve, the activation functions, an MNIST network's training curves and weights, and a
# LeNet-5's filters and feature maps.
# Usage: scripts/make-tutorial-images.sh     (trains 784-128-10 on MNIST for 10 epochs, under a minute, and LeNet-5 for
#                                              one epoch, about 10 s; installs MNIST with scripts/get-data.sh when
#                                              data/mnist is missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -d data/mnist ] || scripts/get-data.sh mnist
dotnet build -c Release src/Backprop.Cli -v quiet -nologo
backprop=src/Backprop.Cli/bin/Release/net10.0/Backprop.Cli
images=docs/images
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$backprop" plot cost --out "$images/cost.png"
"$backprop" plot activations --out "$images/activations.png" --width 1200 --height 900
"$backprop" graph --out "$images/article-graph.dot"
"$backprop" train --data data/mnist --layers 784,128,10 --activation relu --optimizer sgd --lr 0.1 --batch-size 64 \
    --epochs 10 --seed 1 --save "$work/mnist.safetensors" --log "$work/metrics.csv"
"$backprop" plot training --log "$work/metrics.csv" --out "$images/training.png"
"$backprop" plot weights --model "$work/mnist.safetensors" --out "$images/weights.png" --width 900 --height 900
"$backprop" train --data data/mnist --arch lenet5 --optimizer momentum --lr 0.05 --batch-size 64 --epochs 1 --seed 1 \
    --save "$work/lenet5.safetensors"
"$backprop" plot filters --model "$work/lenet5.safetensors" --out "$images/filters.png"
"$backprop" plot feature-maps --model "$work/lenet5.safetensors" --input "$(ls data/mnist/t10k-images* | head -n 1)" \
    --out "$images/feature-maps.png" --height 700
