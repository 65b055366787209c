#!/usr/bin/env bash
# Runs the command blocks of README.md and docs/command-line.md that are marked runnable, so that what they show a
# newcomer cannot rot. A block's info string says how it runs:
#   ```sh runnable        in a new temporary folder holding a copy of examples/, with `backprop` on the PATH: the
#                         command line built from this checkout (Debug, as `dotnet test` builds it);
#   ```sh runnable root   from the repository root, as after a fresh clone; a `dotnet test` line is left out, because
#                         .ci/run runs the test suite itself (checked here) just before this script.
# Each block runs as one bash script with -euo pipefail. README.md may show no sh, bash or console block that is not
# runnable. Usage: scripts/check-readme.sh. Prints one line; exits non-zero naming the first block that fails, with the
# end of its output. CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
documents=(README.md docs/command-line.md)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if grep -nE '^```(sh|bash|console)' README.md | grep -vE ':```sh runnable( root)?$'; then
  echo "check-readme: README.md shows the command block(s) above without marking them runnable" >&2
  exit 1
fi
grep -qE '^dotnet test( |$)' .ci/run || { echo "check-readme: .ci/run no longer runs dotnet test, which README.md's set-up shows" >&2; exit 1; }

dotnet build src/Backprop.Cli -v q -nologo >"$work/build.txt" 2>&1 \
  || { echo "check-readme: building src/Backprop.Cli failed:" >&2; tail -20 "$work/build.txt" >&2; exit 1; }
cli="$root/src/Backprop.Cli/bin/Debug/net10.0/Backprop.Cli.dll"
[ -f "$cli" ] || { echo "check-readme: the build left no $cli" >&2; exit 1; }
mkdir "$work/bin" "$work/blocks"
printf '#!/usr/bin/env bash\nexec dotnet "%s" "$@"\n' "$cli" >"$work/bin/backprop"
chmod +x "$work/bin/backprop"

# Each runnable block into its own file, named after its document and line: blocks/DOC:LINE:KIND.
for doc in "${documents[@]}"; do
  awk -v dir="$work/blocks" -v doc="${doc//\//_}" '
    /^```sh runnable( root)?$/ { file = sprintf("%s/%s:%d:%s", dir, doc, NR, $3 == "root" ? "root" : "temp"); inside = 1; printf "" > file; next }
    inside && /^```$/ { inside = 0; close(file); next }
    inside { print > file }
  ' "$doc"
done

count=0
for block in "$work"/blocks/*; do
  [ -e "$block" ] || continue
  name=$(basename "$block")
  if [ "${name##*:}" = root ]; then
    folder=$root
    grep -vE '^dotnet test( |$)' "$block" >"$block.sh" || true
  else
    folder=$(mktemp -d -p "$work")
    cp -r examples "$folder/"
    cp "$block" "$block.sh"
  fi
  if ! (cd "$folder" && PATH="$work/bin:$PATH" bash -euo pipefail "$block.sh") >"$block.out" 2>&1; then
    where=${name%:*}
    echo "check-readme: the runnable block at ${where//_//} failed:" >&2
    tail -15 "$block.out" >&2
    exit 1
  fi
  count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "check-readme: no runnable block found in ${documents[*]}" >&2; exit 1; }
echo "readme: $count runnable blocks of ${documents[*]} ran"
