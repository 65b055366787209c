#!/usr/bin/env bash
# The API reference as a browsable site, into artifacts/docs/ (not committed): docfx 2.81.0, a local dotnet tool
# (.config/dotnet-tools.json, restored from NuGet), reads the public API and its XML docs through the library's project
# (src/Backprop) and writes a page per namespace and type, with the tutorial (docs/tutorial.md) beside them; config in
# docs/api/docfx.json. It fetches nothing but NuGet packages (the tool, the library's restore): no online
# cross-reference maps (links to .NET's own types are written as learn.microsoft.com addresses, not looked up). A
# docfx warning, such as a broken link, is an error.
# Usage: scripts/docs.sh, then open artifacts/docs/index.html. The side navigation and the search load their data by
# script, which a browser refuses to file:// pages; for those, serve the site: dotnet docfx serve artifacts/docs
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
# A fresh site each time, so that a type removed from the library leaves no page behind.
rm -rf artifacts/docs artifacts/obj/docfx
dotnet docfx docs/api/docfx.json --warningsAsErrors
