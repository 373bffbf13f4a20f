// @fal-ai/client (pinned, unmodified) in Node, through falgate's /api/fal/proxy only: every call
// the client makes goes to the proxy (`when: "always"`), never to fal.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ApiError, ValidationError, createFalClient } from "@fal-ai/client";
import {
  CATEGORY_MODELS, FILES_URL, KEY, PROXY_URL, TENANT, emulatorSpeed, emulatorSubmits, falgateJob,
  listedJobIds, mintToken, testPng, urlsIn,
} from "./support/env.mjs";

/** The client as a server-side app configures it: the falgate key as its credentials (`Authorization: Key`). */
const fal = createFalClient({ proxyUrl: { url: PROXY_URL, when: "always" }, credentials: KEY });

function assertFalgateCopies(data, requestId) {
  const urls = urlsIn(data);
  assert.ok(urls.length > 0, `a result with files: ${JSON.stringify(data)}`);
  for (const url of urls) {
    assert.ok(url.startsWith(`${FILES_URL}outputs/${TENANT}/${requestId}/`), `${url} is falgate's copy of job ${requestId}`);
  }
}

async function assertListedSucceeded(requestId, model) {
  const job = await falgateJob(requestId);
  assert.equal(job.status, 200);
  assert.equal(job.body.model, model);
  assert.equal(job.body.status, "succeeded");
  assert.ok((await listedJobIds()).includes(requestId), `${requestId} in GET /v1/jobs`);
}

let imageUrl;
/** Log lines the subscriptions' queue updates carried, over every category. */
let logLines = 0;
before(async () => {
  imageUrl = await fal.storage.upload(new Blob([testPng()], { type: "image/png" }));
});

describe("fal.storage.upload", () => {
  test("initiates through the proxy and PUTs into falgate's bucket; the file_url is an input of this tenant", () => {
    assert.match(imageUrl, /^upload:\/\/upl_/);
  });
});

for (const model of CATEGORY_MODELS) {
  describe(`${model.category} (${model.id})`, () => {
    test("fal.subscribe with logs: queue updates, then falgate's copies", async () => {
      const updates = [];
      const { data, requestId } = await fal.subscribe(model.id, {
        input: model.input(imageUrl), logs: true, pollInterval: 200,
        onQueueUpdate: (u) => {
          updates.push(u);
          logLines += u.logs?.length ?? 0;
        },
      });
      assert.match(requestId, /^job_/);
      assert.equal(updates.at(-1).status, "COMPLETED");
      assert.ok(updates.every((u) => u.request_id === requestId));
      assert.ok(updates.filter((u) => u.status !== "IN_QUEUE").every((u) => Array.isArray(u.logs)), "logs on every update past the queue");
      assertFalgateCopies(data, requestId);
      await assertListedSucceeded(requestId, model.id);
    });

    test("fal.queue.submit, status, streamStatus and result", async () => {
      const submitted = await fal.queue.submit(model.id, { input: model.input(imageUrl) });
      assert.equal(submitted.status, "IN_QUEUE");
      const requestId = submitted.request_id;
      const first = await fal.queue.status(model.id, { requestId, logs: true });
      assert.ok(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"].includes(first.status));
      const stream = await fal.queue.streamStatus(model.id, { requestId, logs: true });
      const seen = [];
      stream.on("data", (event) => seen.push(event.status));
      const done = await stream.done();
      assert.equal(done.status, "COMPLETED", `the stream ends on COMPLETED (saw ${seen})`);
      const status = await fal.queue.status(model.id, { requestId });
      assert.equal(status.status, "COMPLETED");
      assert.equal(status.error, undefined);
      const result = await fal.queue.result(model.id, { requestId });
      assert.equal(result.requestId, requestId);
      assertFalgateCopies(result.data, requestId);
      await assertListedSucceeded(requestId, model.id);
    });

    test("fal.queue.cancel: the job is canceled, its status COMPLETED as fal answers a canceled request", async () => {
      await emulatorSpeed(0.02);
      try {
        const { request_id: requestId } = await fal.queue.submit(model.id, { input: model.input(imageUrl) });
        await fal.queue.cancel(model.id, { requestId });
        const status = await fal.queue.status(model.id, { requestId });
        assert.equal(status.status, "COMPLETED");
        assert.equal(status.error_type, "client_cancelled");
        assert.equal((await falgateJob(requestId)).body.status, "canceled");
        await assert.rejects(fal.queue.result(model.id, { requestId }), (e) => e instanceof ApiError && e.status === 400);
      } finally {
        await emulatorSpeed(40);
      }
    });

    test("fal.run answers the output once the job ends (Prefer: wait)", async () => {
      const { data, requestId } = await fal.run(model.id, { input: model.input(imageUrl) });
      assertFalgateCopies(data, requestId);
      await assertListedSucceeded(requestId, model.id);
    });
  });
}

test("the subscriptions with logs saw the models' log lines", () => {
  assert.ok(logLines > 0, "no queue update carried a log line");
});

describe("refusals", () => {
  test("bad input: the client's ValidationError names the field, and fal is never called", async () => {
    const model = CATEGORY_MODELS[0].id;
    const before = await emulatorSubmits(model);
    await assert.rejects(fal.queue.submit(model, { input: { image_url: "ftp://example.com/x.png" } }), (e) => {
      assert.ok(e instanceof ValidationError, `${e}`);
      assert.equal(e.status, 422);
      assert.ok(e.getFieldErrors("image_url").length > 0, JSON.stringify(e.body));
      return true;
    });
    assert.equal(await emulatorSubmits(model), before);
  });

  test("a model outside the catalog is 403, and so is a host other than fal's", async () => {
    await assert.rejects(fal.queue.submit("fal-ai/flux/dev", { input: { prompt: "x" } }), (e) => e.status === 403);
    // a URL whose host ends in fal.run is used verbatim by the client: the proxy refuses every host but fal's
    await assert.rejects(fal.run("https://evil-fal.run/fal-ai/trellis", { input: {} }), (e) => e.status === 403);
  });

  test("no credentials: 401", async () => {
    const anonymous = createFalClient({ proxyUrl: { url: PROXY_URL, when: "always" }, credentials: undefined });
    await assert.rejects(anonymous.queue.submit(CATEGORY_MODELS[0].id, { input: CATEGORY_MODELS[0].input(imageUrl) }),
      (e) => e instanceof ApiError && e.status === 401);
  });

  test("a token for one model (Authorization: Bearer through requestMiddleware) is refused for another", async () => {
    const [editor, mesh] = CATEGORY_MODELS;
    const { token } = await mintToken({ models: [editor.id], ttl_seconds: 120 });
    const browserLike = createFalClient({
      proxyUrl: { url: PROXY_URL, when: "always" },
      credentials: undefined,
      requestMiddleware: async (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    });
    const { request_id: requestId } = await browserLike.queue.submit(editor.id, { input: editor.input(imageUrl) });
    assert.match(requestId, /^job_/);
    await assert.rejects(browserLike.queue.submit(mesh.id, { input: mesh.input(imageUrl) }), (e) => e.status === 403);
  });

  test("streaming endpoints are refused with a clear error", async () => {
    const stream = await fal.stream(CATEGORY_MODELS[0].id, { input: CATEGORY_MODELS[0].input(imageUrl) });
    await assert.rejects(stream.done(), (e) => e.status === 400 && /streaming/.test(e.message + JSON.stringify(e.body)));
  });
});
