#!/usr/bin/env bash
# Rebuilds web/vendor/ from package-lock.json: npm ci, then copies exactly the files the page
# loads. Deterministic (plain byte copies of a fixed list), so CI can re-run it and compare.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../vendor"
cd "$here"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

mv_dist=node_modules/@google/model-viewer/dist
three_libs=node_modules/three/examples/jsm/libs
# source path → name under /ui/vendor/ (the route serves a flat folder)
files=(
  "$mv_dist/model-viewer.min.js"                 model-viewer.min.js   # three.js bundled in
  node_modules/@google/model-viewer/LICENSE      model-viewer.LICENSE
  node_modules/three/LICENSE                     three.LICENSE
  # Decoders for compressed GLBs (Draco meshes, KTX2 textures): served by falgate so the
  # viewer never falls back to gstatic.com. Plain GLBs, which is all fal returns, need none.
  "$three_libs/draco/gltf/draco_wasm_wrapper.js" draco_wasm_wrapper.js
  "$three_libs/draco/gltf/draco_decoder.wasm"    draco_decoder.wasm
  "$three_libs/basis/basis_transcoder.js"        basis_transcoder.js
  "$three_libs/basis/basis_transcoder.wasm"      basis_transcoder.wasm
)

rm -rf "$out"
mkdir -p "$out"
for ((i = 0; i < ${#files[@]}; i += 2)); do
  cp "${files[i]}" "$out/${files[i + 1]}"
done
# model-viewer's shadow DOM carries one static inline <style>; the page's CSP allows exactly
# that text by its hash (style-src), so the viewer is styled while 'unsafe-inline' stays out.
node -e '
  const { createHash } = require("crypto");
  const js = require("fs").readFileSync(process.argv[1], "utf8");
  const hashes = [...js.matchAll(/<style>([^]*?)<\/style>/g)].map(([, css]) => {
    if (css.includes("${")) throw new Error("an inline <style> with interpolations cannot be hashed");
    return `'"'"'sha256-${createHash("sha256").update(css, "utf8").digest("base64")}'"'"'`;
  });
  process.stdout.write(hashes.join("\n") + "\n");
' "$out/model-viewer.min.js" > "$out/csp-style-src"
chmod 644 "$out"/*
(cd "$out" && sha256sum -- * > SHA256SUMS)
echo "web/vendor/: $(ls "$out" | wc -l) files, $(du -sk "$out" | cut -f1) kB"
