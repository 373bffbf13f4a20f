// Measures screenshots in a blank page of the shared browser (no PNG decoder needed in Node).

/** Share of pixels (0–1) that differ from the background: the colour most corners show. */
export async function foregroundShare(browser, png) {
  return measure(browser, png, null);
}

/** Share of pixels (0–1) that differ between two screenshots of the same size. */
export async function differenceShare(browser, png, otherPng) {
  return measure(browser, png, otherPng);
}

async function measure(browser, png, otherPng) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async ({ a, b }) => {
      async function pixels(base64) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const g = canvas.getContext('2d');
        g.drawImage(bitmap, 0, 0);
        return g.getImageData(0, 0, bitmap.width, bitmap.height);
      }
      const first = await pixels(a);
      const distance = (d, i, r, g, bl) => Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - bl);
      let reference;
      if (b) {
        reference = (await pixels(b)).data;
      } else {
        const { data, width, height } = first;
        // a little inside each corner: the viewer's rounded corners show the page behind it
        const inset = (x, y) => (Math.round(y * (height - 1)) * width + Math.round(x * (width - 1))) * 4;
        const corners = [inset(0.03, 0.03), inset(0.97, 0.03), inset(0.03, 0.97), inset(0.97, 0.97)]
          .map((i) => [data[i], data[i + 1], data[i + 2]]);
        const votes = corners.map((c) => corners.filter((o) => distance(o, 0, ...c) < 24).length);
        const background = corners[votes.indexOf(Math.max(...votes))];
        reference = { length: 0, background };
      }
      const d = first.data;
      let differing = 0;
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, bl] = b ? [reference[i], reference[i + 1], reference[i + 2]] : reference.background;
        if (distance(d, i, r, g, bl) > 24) differing += 1;
      }
      return differing / (d.length / 4);
    }, { a: png.toString('base64'), b: otherPng ? otherPng.toString('base64') : null });
  } finally {
    await page.close();
  }
}
