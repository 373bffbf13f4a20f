// fal's own client (@fal-ai/client, pinned in package.json, unmodified) for LatencyBench: one JSON
// command per stdin line, one JSON answer per stdout line, so the client stays warm between runs.
//   {"upload": "<base64 PNG>"}            -> {"url": "<the file on the emulator's CDN>"}
//   {"model": "...", "input": {...}}      -> {"ms": <time to result>, "request_id": "...", "data_keys": [...]}
// The client goes to the emulator through fal's proxy protocol (when: "always", as in
// fal-emulator/src/test/js); its key comes from FAL_KEY as usual. fal.subscribe runs with its
// defaults (polling the status every 500 ms), as an application would call it.
import { createInterface } from "node:readline";
import { fal } from "@fal-ai/client";

fal.config({ proxyUrl: { url: requiredEnv("FAL_PROXY_URL"), when: "always" } });

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: LatencyBench starts this script`);
  return value;
}

async function answer(command) {
  if (command.upload) {
    const url = await fal.storage.upload(new Blob([Buffer.from(command.upload, "base64")], { type: "image/png" }));
    return { url };
  }
  const start = performance.now();
  const result = await fal.subscribe(command.model, { input: command.input });
  const ms = performance.now() - start; // the client holds the result: fal.subscribe resolved with it
  return { ms, request_id: result.requestId, data_keys: Object.keys(result.data ?? {}) };
}

for await (const line of createInterface({ input: process.stdin })) {
  try {
    process.stdout.write(JSON.stringify(await answer(JSON.parse(line))) + "\n");
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error?.message ?? error) }) + "\n");
  }
}
