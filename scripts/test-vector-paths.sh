#!/usr/bin/env bash
# The unit tests (tests/Backprop.Tests, without the Dataset ones) on each narrower vector path, forced by the runtime's own
# switches (src/Backprop/VectorPath.cs): Vector256 (DOTNET_EnableAVX512=0), Vector128 (DOTNET_EnableAVX=0: SSE4.2, no FMA)
# and scalar (DOTNET_EnableHWIntrinsic=0). Each run states the path it expects (BACKPROP_EXPECTED_VECTOR_PATH), and a test
# fails if the kernels take another: a renamed switch (.NET 10 ignores the older DOTNET_EnableAVX512F) must not let the
# default path run again unnoticed. A path wider than the CPU has cannot be forced; run this on an AVX-512 machine.
# Prints one line per path; exits non-zero if any run failed. Usage: scripts/test-vector-paths.sh
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/Backprop.Tests -v quiet -nologo >/dev/null || { echo "vector paths: the tests did not build" >&2; exit 1; }
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
failed=0
for forced in "Vector256 DOTNET_EnableAVX512=0" "Vector128 DOTNET_EnableAVX=0" "scalar DOTNET_EnableHWIntrinsic=0"; do
  read -r path switch <<<"$forced"
  if env "$switch" BACKPROP_EXPECTED_VECTOR_PATH="$path" dotnet test tests/Backprop.Tests --no-build --filter "Category!=Dataset" >"$log/$path.txt" 2>&1 \
    && grep -q "^Passed!" "$log/$path.txt"; then
    echo "vector path $path ($switch): $(grep "^Passed!" "$log/$path.txt" | sed 's/ *- Backprop.Tests.dll.*//')"
  else
    echo "vector path $path ($switch): FAILED" >&2
    grep -E "\[FAIL\]|^(Passed|Failed)!|Aborted" "$log/$path.txt" >&2
    failed=1
  fi
done
exit "$failed"
