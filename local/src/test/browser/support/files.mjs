// Files the tests upload, made here: noisy PNGs (noise does not compress, so a throttled upload
// takes long enough to watch) drawn by Chromium's canvas, and a small valid LoRA.

/** PNG bytes of a width×height image with a shape on noise, drawn in a blank page. */
export async function noisyPng(browser, { width = 256, height = 256, hue = 30 } = {}) {
  const page = await browser.newPage();
  try {
    const base64 = await page.evaluate(async ({ width, height, hue }) => {
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d');
      const pixels = g.createImageData(width, height);
      for (let i = 0; i < pixels.data.length; i += 4) {
        pixels.data[i] = Math.random() * 256;
        pixels.data[i + 1] = Math.random() * 256;
        pixels.data[i + 2] = Math.random() * 256;
        pixels.data[i + 3] = 255;
      }
      g.putImageData(pixels, 0, 0);
      g.fillStyle = `hsl(${hue} 80% 50%)`;
      g.beginPath();
      g.arc(width / 2, height / 2, width / 3, 0, 2 * Math.PI);
      g.fill();
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return btoa(binary);
    }, { width, height, hue });
    return Buffer.from(base64, 'base64');
  } finally {
    await page.close();
  }
}

/**
 * A valid .safetensors file: an 8-byte little-endian header length, a JSON header naming one
 * F32 tensor, then the tensor's bytes.
 */
export function safetensors(rows = 256, cols = 256) {
  const dataLength = rows * cols * 4;
  const header = Buffer.from(JSON.stringify({
    __metadata__: { format: 'pt' },
    'lora_unet.down.weight': { dtype: 'F32', shape: [rows, cols], data_offsets: [0, dataLength] },
  }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  const data = Buffer.alloc(dataLength);
  for (let i = 0; i < rows * cols; i += 1) data.writeFloatLE(Math.sin(i) / 100, i * 4);
  return Buffer.concat([length, header, data]);
}

export function upload(name, mimeType, buffer) {
  return { name, mimeType, buffer };
}
