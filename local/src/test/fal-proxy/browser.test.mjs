// The same pinned client in Debian's Chromium (playwright-core, no browser download), from a page
// on another origin than falgate's API, through /api/fal/proxy with a short-lived token that the
// app's server (this test, holding the API key) minted. The browser never sees the key.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { clientBundle } from "./support/bundle.mjs";
import { CATEGORY_MODELS, FILES_URL, PROXY_URL, TENANT, falgateJob, mintToken, testPng } from "./support/env.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
  "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];
const PAGE = `<!doctype html><meta charset="utf-8"><title>an app on fal</title><script src="/fal-client.js"></script>`;

let server;
let pageOrigin;
let browser;

before(async () => {
  const bundle = clientBundle();
  server = createServer((request, response) => {
    const script = request.url === "/fal-client.js";
    response.writeHead(200, { "content-type": script ? "text/javascript" : "text/html" });
    response.end(script ? bundle : PAGE);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  pageOrigin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve) ?? resolve());
});

test("from a page on another origin, with a token: upload, subscribe, and the result is falgate's copy", async () => {
  const model = CATEGORY_MODELS[0];
  assert.notEqual(new URL(pageOrigin).origin, new URL(PROXY_URL).origin);
  const { token } = await mintToken({ models: [model.id], ttl_seconds: 300 });
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await page.goto(`${pageOrigin}/`);

  const outcome = await page.evaluate(async ({ proxyUrl, token, modelId, other, png }) => {
    // what an app's page does: fal.config with falgate's proxy, and the token its server minted
    const fal = window.fal.createFalClient({
      proxyUrl,
      requestMiddleware: async (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    });
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
    const imageUrl = await fal.storage.upload(new Blob([bytes], { type: "image/png" }));
    const statuses = [];
    const { data, requestId } = await fal.subscribe(modelId, {
      input: { image_url: imageUrl, prompt: "a beach at sunset" }, logs: true, pollInterval: 200,
      onQueueUpdate: (u) => statuses.push(u.status),
    });
    let otherModel;
    try {
      await fal.queue.submit(other, { input: { image_url: imageUrl } });
      otherModel = "accepted";
    } catch (e) {
      otherModel = e.status;
    }
    return { imageUrl, data, requestId, statuses, otherModel };
  }, { proxyUrl: PROXY_URL, token, modelId: model.id, other: CATEGORY_MODELS[1].id, png: testPng().toString("base64") });

  assert.match(outcome.imageUrl, /^upload:\/\/upl_/);
  assert.equal(outcome.statuses.at(-1), "COMPLETED");
  const urls = outcome.data.images.map((i) => i.url);
  assert.ok(urls.length > 0);
  for (const url of urls) {
    assert.ok(url.startsWith(`${FILES_URL}outputs/${TENANT}/${outcome.requestId}/`), url);
  }
  assert.equal((await falgateJob(outcome.requestId)).body.status, "succeeded");
  assert.equal(outcome.otherModel, 403, "the token names one model only");
  assert.deepEqual(consoleErrors.filter((e) => /CORS|blocked/i.test(e)), []);
});
