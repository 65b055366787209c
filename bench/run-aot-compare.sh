#!/usr/bin/env bash
# The Native AOT binary against the JIT build of the same tool: `backprop train` on MNIST, 784-128-10 (SGD, batch 64) for
# 3 epochs and LeNet-5 for 300 steps, in alternating processes (JIT, AOT x86-64-v3, AOT x86-64-v4, JIT, ...), ROUNDS
# rounds. Prints each run's samples/s per epoch (the tool's own figure: an epoch's examples over its wall time) and
# then the medians. Usage: bench/run-aot-compare.sh [ROUNDS]   (default 5; needs data/mnist: scripts/get-data.sh mnist)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=${1:-5}
cd "$root"
work="$root/bench/aot/bin"
mkdir -p "$work"
[ -d data/mnist ] || scripts/get-data.sh mnist
dotnet build -c Release src/Backprop.Cli -o "$work/jit" -v quiet -nologo >/dev/null
for isa in x86-64-v3 x86-64-v4; do scripts/publish-aot.sh "$work/$isa" "$isa" >/dev/null; done
declare -A runner=([jit]="dotnet $work/jit/Backprop.Cli.dll" [x86-64-v3]="$work/x86-64-v3/backprop" [x86-64-v4]="$work/x86-64-v4/backprop")
results="$work/aot-compare-$(date +%Y%m%d-%H%M%S).txt"
for round in $(seq "$rounds"); do
  for build in jit x86-64-v3 x86-64-v4; do
    for net in mlp lenet5; do
      if [ "$net" = mlp ]; then what=(--layers 784,128,10 --epochs 3); else what=(--arch lenet5 --lr 0.05 --optimizer momentum --epochs 1 --steps 300); fi
      # shellcheck disable=SC2086 # the runner is a command and its first argument
      ${runner[$build]} train --data data/mnist "${what[@]}" --save "$work/model.safetensors" \
        | sed -n 's/.*epoch \([0-9]*\)\/[0-9]*:.* \([0-9]*\) samples\/s.*/\1 \2/p' \
        | while read -r epoch rate; do echo "$round $build $net $epoch $rate"; done | tee -a "$results"
    done
  done
done
echo "medians (samples/s), from $results:"
for net in mlp lenet5; do
  for build in jit x86-64-v3 x86-64-v4; do
    for epoch in 1 2 3; do
      values=$(awk -v b="$build" -v n="$net" -v e="$epoch" '$2 == b && $3 == n && $4 == e { print $5 }' "$results" | sort -n)
      [ -n "$values" ] || continue
      count=$(wc -l <<<"$values")
      echo "$net $build epoch $epoch: median $(sed -n "$(( (count + 1) / 2 ))p" <<<"$values") (range $(head -1 <<<"$values")-$(tail -1 <<<"$values"), $count runs)"
    done
  done
done
