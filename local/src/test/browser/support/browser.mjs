// One Chromium for the whole suite: Debian's binary, headless, WebGL through SwiftShader,
// nothing but loopback. Pages sign in through the key form, as a person does.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { env } from './env.mjs';
import { recordProgressAndCsp, stillViewers } from './page.mjs';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-quic', '--no-first-run',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

let browser;

export async function launch() {
  if (browser) return browser;
  if (!existsSync(env.chromium)) {
    throw new Error(`no Chromium at ${env.chromium}: install it with \`apt-get install -y chromium\``);
  }
  browser = await chromium.launch({ executablePath: env.chromium, args: FLAGS, headless: true });
  return browser;
}

export async function close() {
  await browser?.close();
}

/**
 * A fresh context and page, signed in with the stack's key. Posters are off (?poster=off), so
 * a 3D viewer shows the model itself rather than its rendered image.
 */
export async function signedInPage({ width = 1280, height = 900, spinningViewers = false } = {}) {
  // reduced motion: no transitions half-way through when axe measures contrast or a screenshot is taken
  const context = await browser.newContext({ viewport: { width, height }, baseURL: env.url,
    reducedMotion: spinningViewers ? 'no-preference' : 'reduce' });
  await context.route(/^(?!https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/])/, (route) => route.abort());
  await recordProgressAndCsp(context);
  if (!spinningViewers) await stillViewers(context);
  const page = await context.newPage();
  page.setDefaultTimeout(env.uiTimeoutMs);
  await page.goto('/?poster=off');
  await page.getByRole('textbox', { name: 'API key' }).fill(env.key);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'New job' }).waitFor();
  return page;
}

/** Fails unless the page's own document can create a WebGL context (SwiftShader). */
export async function webglRenderer(page) {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  });
}

/** A screenshot of the page cropped to one element, as a person sees that part of the page. */
export async function elementShot(page, locator, name) {
  await locator.scrollIntoViewIfNeeded();
  return screenshot(page, name, { clip: await locator.boundingBox() });
}

/** Saves a screenshot under target/browser-screenshots and returns its bytes. */
export async function screenshot(target, name, options = {}) {
  mkdirSync(env.screenshots, { recursive: true });
  return target.screenshot({ path: join(env.screenshots, `${name}.png`), ...options });
}

/** Chromium's own network emulation: uploads crawl, so progress bars show their middle. */
export async function throttle(page, bytesPerSecond) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: bytesPerSecond,
  });
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
    });
    await cdp.detach();
  };
}
