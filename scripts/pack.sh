#!/usr/bin/env bash
# The NuGet packages, into one folder: Backprop (the library) and Backprop.Tool (the `backprop` command), each with its
# symbol package (.snupkg). Usage: scripts/pack.sh [FOLDER]   (default: artifacts/packages)
# Then, for example: dotnet tool install --tool-path T --add-source FOLDER Backprop.Tool && T/backprop demo
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/packages}"
dotnet pack src/Backprop -c Release -o "$out"
dotnet pack src/Backprop.Cli -c Release -o "$out"
