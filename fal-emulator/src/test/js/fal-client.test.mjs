// fal's own JavaScript client (@fal-ai/client, unmodified) against the emulator. The client is
// configured only to go through a proxy (fal's proxy protocol, `when: "always"` so Node uses it
// too); its key comes from FAL_KEY as usual. The emulator maps the x-fal-target-url hosts
// (queue.fal.run, rest.fal.ai) onto its own routes. FalJsClientTest starts the emulator with a
// concurrency limit of 1, so requests really queue behind each other.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, createFalClient, fal } from "@fal-ai/client";
import {
  CATEGORY_MODELS, EMULATOR_URL, PROXY_URL, UUID, modelOf, observingFetch, sleep, testPng,
} from "./support.mjs";

const PROXY = { url: PROXY_URL, when: "always" };
fal.config({ proxyUrl: PROXY });

/** Keep-alives matter because fal-js gives up on a stream silent for 15 s. */
const KEEP_ALIVE_LIMIT_MS = 15_000;

async function uploadTestImage() {
  return fal.storage.upload(new Blob([testPng()], { type: "image/png" }));
}

for (const model of CATEGORY_MODELS) {
  describe(`${model.category}: ${model.id}`, () => {
    let imageUrl;

    test("fal.storage.upload puts the file on the emulator's CDN", async () => {
      imageUrl = await uploadTestImage();
      assert.ok(imageUrl.startsWith(`${EMULATOR_URL}/uploads/`), imageUrl);
      const stored = await fetch(imageUrl);
      assert.equal(stored.status, 200);
      assert.deepEqual(Buffer.from(await stored.arrayBuffer()), testPng());
    });

    test("fal.subscribe with logs returns the output and its request id", async () => {
      const updates = [];
      let enqueued;
      const result = await fal.subscribe(model.id, {
        input: model.input(imageUrl),
        logs: true,
        pollInterval: 100,
        onEnqueue: (requestId) => { enqueued = requestId; },
        onQueueUpdate: (update) => updates.push(update),
      });
      assert.match(result.requestId, UUID);
      assert.equal(result.requestId, enqueued);
      assert.ok(model.check(result.data), JSON.stringify(result.data));
      const logLines = updates.flatMap((u) => u.logs ?? []);
      assert.ok(logLines.length >= 1, "no log line in any update");
      assert.equal(typeof logLines[0].message, "string");
      assert.equal(updates.at(-1).status, "COMPLETED");
    });

    test("fal.queue.submit, streamStatus, status and result", async () => {
      const submitted = await fal.queue.submit(model.id, { input: model.input(imageUrl) });
      assert.equal(submitted.status, "IN_QUEUE");
      assert.match(submitted.request_id, UUID);
      assert.equal(typeof submitted.queue_position, "number");
      const requestId = submitted.request_id;

      const stream = await fal.queue.streamStatus(model.id, { requestId, logs: true });
      const events = [];
      stream.on("data", (event) => events.push(event));
      const last = await stream.done();
      assert.equal(last.status, "COMPLETED");
      assert.ok(events.length >= 1);

      const status = await fal.queue.status(model.id, { requestId, logs: true });
      assert.equal(status.status, "COMPLETED");
      assert.equal(typeof status.metrics.inference_time, "number");
      assert.ok(status.logs.length >= 1);

      const result = await fal.queue.result(model.id, { requestId });
      assert.equal(result.requestId, requestId);
      assert.ok(model.check(result.data), JSON.stringify(result.data));
    });

    test("fal.queue.cancel answers CANCELLATION_REQUESTED, then ALREADY_COMPLETED", async () => {
      // the client discards cancel's body: a pass-through fetch shows what came back
      const observed = observingFetch();
      const client = createFalClient({ proxyUrl: PROXY, fetch: observed.fetch });
      const { request_id: requestId } = await client.queue.submit(model.id, { input: model.input(imageUrl) });

      await client.queue.cancel(model.id, { requestId });
      const first = observed.exchanges.at(-1);
      assert.ok(first.target.endsWith(`/requests/${requestId}/cancel`), first.target);
      assert.equal(first.status, 202);
      assert.deepEqual(first.json, { status: "CANCELLATION_REQUESTED" });

      await assert.rejects(client.queue.cancel(model.id, { requestId }), (error) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 400);
        assert.deepEqual(error.body, { status: "ALREADY_COMPLETED" });
        return true;
      });
    });
  });
}

describe("the queue", () => {
  test("queue_position counts down while earlier requests run", async () => {
    const model = modelOf("image-editing");
    const input = model.input(await uploadTestImage());
    const ids = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await fal.queue.submit(model.id, { input })).request_id);
    }
    const positions = [];
    for (;;) {
      const status = await fal.queue.status(model.id, { requestId: ids.at(-1) });
      if (status.status === "IN_QUEUE") {
        positions.push(status.queue_position);
      }
      if (status.status === "COMPLETED") {
        break;
      }
      await sleep(20);
    }
    const distinct = positions.filter((p, i) => i === 0 || p !== positions[i - 1]);
    assert.deepEqual(distinct.slice(-3), [2, 1, 0], `positions seen: ${distinct}`);
    distinct.forEach((p, i) => i === 0 || assert.ok(p < distinct[i - 1], `rose: ${distinct}`));
  });

  test("the status stream sends a keep-alive within 15 s while the request is pending", async () => {
    const model = modelOf("multiview-to-3d");
    const observed = observingFetch();
    const client = createFalClient({ proxyUrl: PROXY, fetch: observed.fetch });
    const input = model.input(await uploadTestImage());
    const { request_id: requestId } = await client.queue.submit(model.id, { input });

    const stream = await client.queue.streamStatus(model.id, { requestId, logs: true });
    const last = await stream.done();
    assert.equal(last.status, "COMPLETED");

    const streamed = observed.exchanges.find((e) => e.target.includes(`/requests/${requestId}/status/stream`));
    const ping = streamed.chunks.find((chunk) => chunk.text.includes(": ping"));
    assert.ok(ping, `no keep-alive in: ${JSON.stringify(streamed.chunks.map((c) => c.text))}`);
    assert.ok(ping.at - streamed.opened < KEEP_ALIVE_LIMIT_MS, `first ping after ${ping.at - streamed.opened} ms`);
  });
});
