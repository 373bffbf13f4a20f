// Where the stack is, the tenants' keys, one model per category, a test image, and checks the
// suites share. The client itself stays as published (node_modules/@fal-ai/client).
// the emulator suite's test image (that module reads FAL_EMULATOR_URL, which these suites have too)
export { testPng } from "../../../../../fal-emulator/src/test/js/support.mjs";

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: FalClientProxyTest starts the stack and runs these suites`);
  }
  return value;
};

export const FALGATE_URL = required("FALGATE_URL");
export const PROXY_URL = `${FALGATE_URL}/api/fal/proxy`;
export const KEY = required("FALGATE_KEY");
export const TENANT = required("FALGATE_TENANT");
/** Where falgate's copies live: `<s3 endpoint>/<bucket>/`. */
export const FILES_URL = required("FALGATE_FILES_URL");
export const FAL_EMULATOR_URL = required("FAL_EMULATOR_URL");

/** One model of each catalog category, plus the LoRA 3D model, with an input built from an uploaded image. */
export const CATEGORY_MODELS = [
  { category: "image-editing", id: "fal-ai/image-editing/background-change",
    input: (url) => ({ image_url: url, prompt: "a beach at sunset" }) },
  { category: "image-to-3d", id: "tripo3d/tripo/v2.5/image-to-3d", input: (url) => ({ image_url: url }) },
  { category: "multiview-to-3d", id: "fal-ai/hunyuan3d/v2/multi-view",
    input: (url) => ({ front_image_url: url, back_image_url: url, left_image_url: url }) },
  { category: "multiview-generation", id: "fal-ai/era-3d", input: (url) => ({ image_url: url }) },
  { category: "segmentation", id: "fal-ai/image-preprocessors/sam", input: (url) => ({ image_url: url }) },
  { category: "trellis-lora", id: "fal-ai/trellis-2-lora", input: (url) => ({ image_url: url }) },
];

/** Every URL anywhere in a value. */
export function urlsIn(value, found = []) {
  if (typeof value === "string" && /^https?:\/\//.test(value)) {
    found.push(value);
  } else if (value && typeof value === "object") {
    Object.values(value).forEach((v) => urlsIn(v, found));
  }
  return found;
}

/** The job as falgate's own API shows it to the tenant. */
export async function falgateJob(id) {
  const response = await fetch(`${FALGATE_URL}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${KEY}` } });
  return { status: response.status, body: await response.json() };
}

export async function listedJobIds() {
  const response = await fetch(`${FALGATE_URL}/v1/jobs?limit=100`, { headers: { authorization: `Bearer ${KEY}` } });
  const body = await response.json();
  return body.jobs.map((j) => j.id);
}

export async function mintToken(body) {
  const response = await fetch(`${FALGATE_URL}/v1/tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`POST /v1/tokens: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

export async function emulatorSubmits(model) {
  const stats = await (await fetch(`${FAL_EMULATOR_URL}/_emulator/stats`)).json();
  return stats.models?.[model]?.submits ?? 0;
}

/** The emulator's pace: slow keeps a job pending long enough to cancel it. */
export async function emulatorSpeed(speed) {
  const response = await fetch(`${FAL_EMULATOR_URL}/_emulator/config`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ speed }),
  });
  if (!response.ok) {
    throw new Error(`POST /_emulator/config: ${response.status} ${await response.text()}`);
  }
}
