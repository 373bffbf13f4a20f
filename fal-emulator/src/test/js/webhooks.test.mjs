// Webhook signatures checked the way a receiver would, with Node's own Ed25519 (node:crypto)
// and nothing but the JWKS: the signed message is request id, user id, timestamp and the
// SHA-256 hex of the raw body, joined by newlines (fal-protocol.md §3).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createHash, createPublicKey, verify } from "node:crypto";
import { fal } from "@fal-ai/client";
import { EMULATOR_URL, PROXY_URL, modelOf, postControl, testPng } from "./support.mjs";

fal.config({ proxyUrl: { url: PROXY_URL, when: "always" } });

/** A webhook endpoint on 127.0.0.1 that keeps every delivery's raw bytes and headers. */
class Receiver {
  deliveries = [];
  waiters = [];

  async start() {
    this.server = createServer((req, res) => {
      const parts = [];
      req.on("data", (part) => parts.push(part));
      req.on("end", () => {
        res.writeHead(200).end();
        const delivery = { headers: req.headers, body: Buffer.concat(parts) };
        const waiter = this.waiters.shift();
        waiter ? waiter(delivery) : this.deliveries.push(delivery);
      });
    });
    await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${this.server.address().port}/hooks/fal`;
  }

  next() {
    const ready = this.deliveries.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => this.waiters.push(resolve));
  }

  stop() {
    this.server.close();
  }
}

async function fetchJwks() {
  const response = await fetch(`${EMULATOR_URL}/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  return response.json();
}

function signedMessage(headers, body) {
  const digest = createHash("sha256").update(body).digest("hex");
  return Buffer.from([
    headers["x-fal-webhook-request-id"], headers["x-fal-webhook-user-id"],
    headers["x-fal-webhook-timestamp"], digest,
  ].join("\n"), "utf8");
}

/** The kids of the JWKS keys under which this body and these headers verify. */
function verifyingKids(jwks, headers, body) {
  const signature = Buffer.from(headers["x-fal-webhook-signature"], "hex");
  const message = signedMessage(headers, body);
  return jwks.keys
    .filter((jwk) => jwk.kty === "OKP" && jwk.crv === "Ed25519")
    .filter((jwk) => verify(null, message, createPublicKey({ key: jwk, format: "jwk" }), signature))
    .map((jwk) => jwk.kid);
}

describe("webhooks", () => {
  const receiver = new Receiver();
  const model = modelOf("image-editing");
  let input;

  before(async () => {
    await receiver.start();
    input = model.input(await fal.storage.upload(new Blob([testPng()], { type: "image/png" })));
  });
  after(() => receiver.stop());

  async function webhookFor() {
    const { request_id: requestId } = await fal.queue.submit(model.id, { input, webhookUrl: receiver.url });
    const delivery = await receiver.next();
    assert.equal(delivery.headers["x-fal-webhook-request-id"], requestId);
    return delivery;
  }

  test("verifies with the newest JWKS key, and not once one byte of the body changes", async () => {
    const jwks = await fetchJwks();
    assert.equal(jwks.keys.length, 2);
    const delivery = await webhookFor();

    const { headers, body } = delivery;
    for (const name of ["request-id", "user-id", "timestamp", "signature"]) {
      assert.ok(headers[`x-fal-webhook-${name}`], `missing X-Fal-Webhook-${name}`);
    }
    assert.ok(Math.abs(Date.now() / 1000 - Number(headers["x-fal-webhook-timestamp"])) < 300);
    const payload = JSON.parse(body.toString("utf8"));
    assert.equal(payload.status, "OK");
    assert.equal(payload.request_id, headers["x-fal-webhook-request-id"]);
    assert.equal(payload.gateway_request_id, payload.request_id);
    assert.ok(Array.isArray(payload.payload.images));

    assert.deepEqual(verifyingKids(jwks, headers, body), [jwks.keys[0].kid]);
    const tampered = Buffer.from(body);
    tampered[Math.floor(tampered.length / 2)] ^= 0x01;
    assert.deepEqual(verifyingKids(jwks, headers, tampered), []);
  });

  test("after a key rotation it verifies with the newer key; the previous one stays published", async () => {
    const before = await fetchJwks();
    const rotated = await postControl("rotate-keys");
    assert.deepEqual(await fetchJwks(), rotated);
    assert.equal(rotated.keys.length, 2);
    assert.equal(rotated.keys[1].x, before.keys[0].x, "the previous signing key stays published");
    assert.ok(!before.keys.some((k) => k.x === rotated.keys[0].x), "the newest key is new");

    const { headers, body } = await webhookFor();
    assert.deepEqual(verifyingKids(rotated, headers, body), [rotated.keys[0].kid]);
    assert.deepEqual(verifyingKids(before, headers, body), [], "a stale JWKS cannot verify it");
  });
});
