#!/usr/bin/env bash
# The backprop command as one Native AOT binary, which needs no .NET runtime on the machine that runs it.
# Usage: scripts/publish-aot.sh [FOLDER] [INSTRUCTION-SET]   (defaults: artifacts/aot, and the instruction set of the
# machine that builds: x86-64-v4 where it has AVX-512, else x86-64-v3; armv8-a on ARM64)
# The binary is FOLDER/backprop. Plots (`backprop plot`) also need SkiaSharp's native libraries, which are published beside
# it (libSkiaSharp.so, libHarfBuzzSharp.so); every other command runs from the binary alone.
# The instruction set is fixed when the binary is compiled (the JIT picks it on each machine instead), and the kernels take
# the widest vectors it allows: x86-64-v3 (AVX2 and FMA: x64 CPUs since 2013-2015) runs the Vector256 kernels, even on an
# AVX-512 CPU; x86-64-v4 runs the Vector512 ones and starts only on AVX-512 CPUs; x86-64-v2 gets Vector128. So the
# default is a binary for the building machine's kind; build x86-64-v3 for any recent x64 CPU. bench/RESULTS.md has the
# speeds measured for each against the JIT build.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/aot}"
case "$(uname -m)" in
  x86_64)
    rid=linux-x64 default_isa=x86-64-v3
    # x86-64-v4 is AVX-512 F, BW, CD, DQ and VL together.
    if [ "$(grep -m1 '^flags' /proc/cpuinfo | grep -ow 'avx512f\|avx512bw\|avx512cd\|avx512dq\|avx512vl' | sort -u | wc -l)" -eq 5 ]; then
      default_isa=x86-64-v4
    fi ;;
  aarch64) rid=linux-arm64 default_isa=armv8-a ;;
  *) echo "publish-aot: no Native AOT target for $(uname -m)" >&2; exit 1 ;;
esac
isa="${2:-$default_isa}"
dotnet publish src/Backprop.Cli -c Release -r "$rid" -p:PublishAot=true -p:IlcInstructionSet="$isa" -o "$out"
# The binary takes the command's name. (The assembly cannot be called backprop: assembly names ignore case, and the
# library is Backprop.) The library's XML docs and symbols are for compilers and debuggers of the IL, not for the binary.
mv "$out/Backprop.Cli" "$out/backprop"
mv "$out/Backprop.Cli.dbg" "$out/backprop.dbg"
rm -f "$out"/*.pdb "$out"/*.xml
echo "publish-aot: $out/backprop ($isa, $(stat -c %s "$out/backprop") bytes)"
