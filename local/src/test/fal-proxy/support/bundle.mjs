// The published @fal-ai/client is CommonJS only. For a page, its files (and its dependencies')
// are wrapped, unchanged, into one script with a tiny require(): no bundler, no edits.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const REQUIRE_CALL = /\brequire\((["'])([^"']+)\1\)/g;

/** One script that sets `window.fal` to the client's exports. */
export function clientBundle() {
  const entry = createRequire(import.meta.url).resolve("@fal-ai/client");
  const modules = new Map();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (modules.has(file)) {
      continue;
    }
    const text = readFileSync(file, "utf8");
    const code = file.endsWith(".json") ? `module.exports = ${text};` : text;
    const resolve = createRequire(file).resolve;
    const deps = {};
    for (const [, , spec] of code.matchAll(REQUIRE_CALL)) {
      deps[spec] = resolve(spec);
      pending.push(deps[spec]);
    }
    modules.set(file, { code, deps });
  }
  const defs = [...modules].map(([file, { code, deps }]) =>
    `${JSON.stringify(file)}: [function (module, exports, require) {\n${code}\n}, ${JSON.stringify(deps)}]`);
  return `(function () {
  const defs = {${defs.join(",\n")}};
  const cache = {};
  function load(file) {
    if (!cache[file]) {
      const [factory, deps] = defs[file];
      const module = { exports: {} };
      cache[file] = module;
      factory(module, module.exports, (spec) => load(deps[spec]));
    }
    return cache[file].exports;
  }
  window.fal = load(${JSON.stringify(entry)});
})();`;
}
