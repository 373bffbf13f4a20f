// Verifies deliveries falgate made, with the official standardwebhooks library, unmodified.
// Input (argv[2]): {"old_secret", "new_secret", "before": delivery, "during": delivery}, a delivery
// being {"id", "timestamp", "signature", "body"} exactly as the receiver got them.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const headers = (d) => ({ "webhook-id": d.id, "webhook-timestamp": d.timestamp, "webhook-signature": d.signature });
const oldHook = new Webhook(input.old_secret);
const newHook = new Webhook(input.new_secret);

const before = oldHook.verify(input.before.body, headers(input.before));
assert.equal(before.type, "job.completed");
console.log("before the rotation: the old secret verifies", before.data.id);

for (const [name, hook] of [["old", oldHook], ["new", newHook]]) {
  const during = hook.verify(input.during.body, headers(input.during));
  assert.equal(during.type, "job.completed");
  console.log(`during the rotation: the ${name} secret verifies`, during.data.id);
  const tampered = input.during.body.replace('"succeeded"', '"failed"');
  assert.notEqual(tampered, input.during.body);
  assert.throws(() => hook.verify(tampered, headers(input.during)), WebhookVerificationError);
  console.log(`a tampered body is rejected under the ${name} secret`);
}
assert.throws(() => newHook.verify(input.before.body, headers(input.before)), WebhookVerificationError);
console.log("the new secret does not verify what was signed before it existed");
