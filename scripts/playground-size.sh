#!/usr/bin/env bash
# The playground's download: publishes the page (Release, trimmed) to a fresh folder and prints what a browser fetches,
# as published and brotli-compressed (the .br files the publish writes beside each, which a static host serves).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish src/Backprop.Playground -c Release -o "$out" -v quiet -nologo > /dev/null
cd "$out/wwwroot"
files=$(find . -type f ! -name '*.br' ! -name '*.gz' | sort)
raw=0; compressed=0
for f in $files; do
    size=$(stat -c %s "$f")
    raw=$((raw + size))
    if [ -f "$f.br" ]; then compressed=$((compressed + $(stat -c %s "$f.br"))); else compressed=$((compressed + size)); fi
done
echo "files: $(echo "$files" | wc -l)"
echo "assemblies: $(ls _framework/*.wasm | grep -v dotnet.native | sed 's#_framework/##; s#\.[a-z0-9]*\.wasm$##' | tr '\n' ' ')"
printf 'published: %.2f MB, brotli: %.2f MB\n' "$(echo "$raw / 1048576" | bc -l)" "$(echo "$compressed / 1048576" | bc -l)"
