// Shared by the Node suites: where the emulator is, one model per category, a test image, and
// a fetch that records what fal's client received (the client itself stays as published).
import { deflateSync } from "node:zlib";

export const EMULATOR_URL = requiredEnv("FAL_EMULATOR_URL");
/** Any path works: the emulator routes proxied calls by their x-fal-target-url header. */
export const PROXY_URL = `${EMULATOR_URL}/api/fal/proxy`;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run against an emulator that FalJsClientTest starts`);
  }
  return value;
}

const fileObject = (value) => typeof value?.url === "string" && typeof value?.content_type === "string";
const hasImages = (data) => Array.isArray(data.images) && data.images.length > 0 && data.images.every(fileObject);

/** One model of each catalog category (dev.falgate.catalog.Category), with an input and a check of its output. */
export const CATEGORY_MODELS = [
  {
    category: "image-editing",
    id: "fal-ai/image-editing/background-change",
    input: (imageUrl) => ({ image_url: imageUrl, prompt: "a beach at sunset" }),
    check: (data) => hasImages(data),
  },
  {
    category: "image-to-3d",
    id: "tripo3d/tripo/v2.5/image-to-3d",
    input: (imageUrl) => ({ image_url: imageUrl }),
    check: (data) => fileObject(data.model_mesh),
  },
  {
    category: "multiview-to-3d",
    id: "fal-ai/hunyuan3d/v2/multi-view",
    input: (imageUrl) => ({ front_image_url: imageUrl, back_image_url: imageUrl, left_image_url: imageUrl }),
    check: (data) => fileObject(data.model_mesh),
  },
  {
    category: "multiview-generation",
    id: "fal-ai/era-3d",
    input: (imageUrl) => ({ image_url: imageUrl }),
    check: (data) => hasImages(data) && data.normal_images.every(fileObject),
  },
  {
    category: "segmentation",
    id: "fal-ai/image-preprocessors/sam",
    input: (imageUrl) => ({ image_url: imageUrl }),
    check: (data) => fileObject(data.image),
  },
];

export const modelOf = (category) => CATEGORY_MODELS.find((m) => m.category === category);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function postControl(path, body) {
  const response = await fetch(`${EMULATOR_URL}/_emulator/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) {
    throw new Error(`POST /_emulator/${path}: HTTP ${response.status} ${await response.text()}`);
  }
  return response.json();
}

/**
 * A fetch for the client's `fetch` option that passes every call through unchanged and records
 * what came back: JSON bodies (the client drops cancel's), and event-stream chunks with their
 * arrival time (the client's SSE parser hides `: ping` comments).
 */
export function observingFetch() {
  const exchanges = [];
  async function observed(url, init = {}) {
    const response = await fetch(url, init);
    const target = new Headers(init.headers).get("x-fal-target-url") ?? String(url);
    const record = { target, method: init.method ?? "GET", status: response.status, json: undefined, chunks: [] };
    exchanges.push(record);
    const type = response.headers.get("content-type") ?? "";
    if (type.startsWith("text/event-stream") && response.body) {
      const [mine, theirs] = response.body.tee();
      record.opened = Date.now();
      collectChunks(mine, record.chunks);
      return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    if (type.includes("application/json")) {
      record.json = await response.clone().json();
    }
    return response;
  }
  return { fetch: observed, exchanges };
}

async function collectChunks(stream, chunks) {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    chunks.push({ at: Date.now(), text: decoder.decode(chunk, { stream: true }) });
  }
}

/** A small PNG: a light plain border (the "background") around a coloured, textured subject. */
export function testPng(width = 96, height = 64) {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inSubject = x >= 20 && x < 76 && y >= 12 && y < 52;
      const rgb = inSubject ? [40 + x * 2, 90 + (y % 8) * 10, 200 - x * 2] : [235, 235, 240];
      raw.set(rgb, y * row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
