// The page as a person uses it (issue 9, "It must show"), in Debian's Chromium against the
// embedded stack BrowserTest started. One browser for all tests; each test its own context.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { close, elementShot, launch, screenshot, signedInPage, throttle, webglRenderer } from './support/browser.mjs';
import { env } from './support/env.mjs';
import { eventually, job, jobsOf, setFalSpeed } from './support/api.mjs';
import { noisyPng, safetensors, upload } from './support/files.mjs';
import { differenceShare, foregroundShare } from './support/pixels.mjs';
import {
  chooseFiles, confirmDelete, cspViolations, field, fileName, forgetProgress, jobView,
  openNewJobForm, pickModel, progressHistory, runButton, shownJobId, uploadsFinished, waitForStatus,
} from './support/page.mjs';

/** Slow enough that a 200 kB image takes about a second, so each bar shows its middle. */
const UPLOAD_BYTES_PER_SECOND = 200 * 1024;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;
let image;
let lora;

before(async () => {
  browser = await launch();
  image = (hue) => noisyPng(browser, { hue });
  lora = safetensors();
});

after(async () => {
  await close();
});

/**
 * Picks the model, fills the text fields, uploads the files under a throttled network, checks
 * every progress bar's history, runs the job and waits for `succeeded` in the page. Returns the
 * page, the job's id and the job as the API shows it.
 */
async function createAndRun({ model, files, text = {}, shot, spinningViewers }) {
  const page = await newJobForm(model, { spinningViewers });
  for (const [name, value] of Object.entries(text)) await field(page, name).fill(value);
  await forgetProgress(page);
  const unthrottle = await throttle(page, UPLOAD_BYTES_PER_SECOND);
  const count = await uploadAll(page, files);
  await unthrottle();
  assertEveryBarShowedItsMiddle(await progressHistory(page), count);
  await screenshot(page, `${shot}-form`, { fullPage: true });

  const reads = jobReads(page);
  await runButton(page).click();
  const id = await shownJobId(page);
  await waitForStatus(page, 'succeeded');
  const shown = (await job(id)).json;
  assert.equal(shown.status, 'succeeded', `${model}: the API's status of ${id}`);
  const ofThisJob = reads.filter((url) => url.pathname === `/v1/jobs/${id}`);
  assert.ok(ofThisJob.length >= 1, `${model}: the page read job ${id}`);
  assert.ok(ofThisJob.filter((url) => !url.searchParams.has('wait')).length <= 1,
    `${model}: the page waited for the end (?wait=25) instead of polling: ${ofThisJob.map(String)}`);
  assert.ok(ofThisJob.slice(1).every((url) => url.searchParams.get('wait') === '25'), `${model}: ${ofThisJob.map(String)}`);
  assert.equal(shown.model, model);
  await assertDownloadLinks(page, shown);
  await screenshot(page, `${shot}-job`, { fullPage: true });
  return { page, id, shown };
}

/** Every GET of a single job the page makes from now on, as URLs (in the order sent). */
function jobReads(page) {
  const urls = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (r.method() === 'GET' && /^\/v1\/jobs\/[^/]+$/.test(url.pathname)) urls.push(url);
  });
  return urls;
}

/** A signed-in page with the new-job form open on `model`. */
async function newJobForm(model, options) {
  const page = await signedInPage(options);
  await openNewJobForm(page);
  await pickModel(page, model);
  return page;
}

/** Picks each field's files and waits until every upload is done; returns how many files. */
async function uploadAll(page, files) {
  const count = Object.values(files).flat().length;
  for (const [name, list] of Object.entries(files)) await chooseFiles(page, name, list);
  await uploadsFinished(page, count);
  return count;
}

/** Each bar went through a value strictly between 1 % and 99 % before it reached 100 %. */
function assertEveryBarShowedItsMiddle(history, count) {
  assert.ok(history.length >= count, `${history.length} progress bars for ${count} files`);
  for (const { label, values } of history) {
    const done = values.findIndex((v) => v >= 100);
    assert.ok(done >= 0, `bar "${label}" never reached 100 %: ${values}`);
    assert.ok(values.slice(0, done).some((v) => v >= 1 && v <= 99),
      `bar "${label}" showed no value between 1 % and 99 % before 100 %: ${values.map(Math.round)}`);
  }
}

/** Every output file has a download link named by its file name, saving under that name. */
async function assertDownloadLinks(page, shown) {
  assert.ok(shown.files.length > 0, `${shown.id} has no files`);
  for (const file of shown.files) {
    const name = fileName(file);
    const link = jobView(page).getByRole('link', { name, exact: true });
    await link.waitFor();
    const saved = await link.evaluate((a) => a.getAttribute('download') || new URL(a.href).searchParams.get('response-content-disposition'));
    assert.ok(saved?.includes(name), `the link for ${name} saves as "${saved}"`);
  }
}

async function assertNoSeriousAxeViolations(page, what) {
  await page.evaluate(AXE_SOURCE);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  assert.deepEqual(bad, [], `axe on ${what}`);
}

async function assertNoCspViolations(page) {
  assert.deepEqual(await cspViolations(page), [], 'Content-Security-Policy violations');
}

describe('the browser', () => {
  it('has WebGL through SwiftShader', async () => {
    const page = await signedInPage();
    const renderer = await webglRenderer(page);
    assert.ok(renderer, 'canvas.getContext("webgl2") and getContext("webgl") both gave null: no WebGL');
    console.log(`WebGL renderer: ${renderer}`);
    await page.context().close();
  });
});

describe('create, watch and see a job of each kind', () => {
  it('an editor: upload, prompt, run, before/after', async () => {
    const { page } = await createAndRun({
      model: 'fal-ai/image-editing/background-change', shot: 'editor',
      files: { image_url: [upload('chair.png', 'image/png', await image(30))] },
      text: { prompt: 'a chair on a beach at sunset' },
    });
    const slider = jobView(page).getByRole('slider', { name: /^Before and after/ });
    await slider.fill('80');
    const [beforeSrc, afterSrc] = await jobView(page).getByRole('img', { name: /^(Before|After): / })
      .evaluateAll((imgs) => imgs.map((img) => new URL(img.src).pathname));
    assert.ok(beforeSrc.includes('/uploads/') && afterSrc.includes('/outputs/'), `before ${beforeSrc}, after ${afterSrc}`);
    await screenshot(page, 'editor-compare', { fullPage: true });
    await assertNoCspViolations(page);
    await page.context().close();
  });

  it('SAM', async () => {
    const { page } = await createAndRun({
      model: 'fal-ai/image-preprocessors/sam', shot: 'sam',
      files: { image_url: [upload('cat.png', 'image/png', await image(200))] },
    });
    await page.context().close();
  });

  it('Era3D: six labelled views, each with its normal map', async () => {
    const { page, shown } = await createAndRun({
      model: 'fal-ai/era-3d', shot: 'era3d',
      files: { image_url: [upload('statue.png', 'image/png', await image(90))] },
    });
    const views = jobView(page).getByRole('group', { name: /^view \d$/ });
    await eventually('six labelled views', async () => (await views.count()) === 6, env.uiTimeoutMs);
    const cells = await views.evaluateAll((all) => all.map((cell) => ({
      label: document.getElementById(cell.getAttribute('aria-labelledby'))?.textContent.trim(),
      images: [...cell.querySelectorAll('img')].map((img) => ({ alt: img.alt, src: img.currentSrc || img.src })),
    })));
    assert.deepEqual(cells.map((c) => c.label), ['view 1', 'view 2', 'view 3', 'view 4', 'view 5', 'view 6']);
    const urls = new Map(shown.files.map((f) => [new URL(f.url).pathname, f.field]));
    for (const { label, images } of cells) {
      const fields = images.map((i) => urls.get(new URL(i.src).pathname));
      const index = Number(label.split(' ')[1]) - 1;
      assert.deepEqual(fields, [`images[${index}]`, `normal_images[${index}]`], `${label}: its image and its normal map`);
      assert.ok(images[1].alt.includes('normal map'), `${label}: the second image says it is the normal map`);
    }
    await eventually('every view image decoded', () => views.locator('img').evaluateAll((imgs) => {
      imgs.forEach((img) => { img.loading = 'eager'; });
      return imgs.every((img) => img.complete && img.naturalWidth > 0);
    }), env.uiTimeoutMs);
    const normals = shown.files.filter((f) => f.field.startsWith('normal_images')).length;
    assert.equal(normals, 6, 'the API lists six normal maps');
    await elementShot(page, jobView(page).getByRole('group', { name: 'view 1' }).locator('..'), 'era3d-views');
    await page.context().close();
  });

  it('a single-image 3D model', async () => {
    const { page } = await createAndRun({
      model: 'tripo3d/tripo/v2.5/image-to-3d', shot: 'image-to-3d',
      files: { image_url: [upload('mug.png', 'image/png', await image(150))] },
    });
    await jobView(page).getByRole('group', { name: '3D view of model_mesh.glb' }).waitFor();
    await page.context().close();
  });

  it('a multi-view 3D model', async () => {
    const { page } = await createAndRun({
      model: 'fal-ai/hunyuan3d/v2/multi-view', shot: 'multiview-to-3d',
      files: {
        front_image_url: [upload('front.png', 'image/png', await image(0))],
        back_image_url: [upload('back.png', 'image/png', await image(120))],
        left_image_url: [upload('left.png', 'image/png', await image(240))],
      },
    });
    await jobView(page).getByRole('group', { name: '3D view of model_mesh.glb' }).waitFor();
    await page.context().close();
  });

  it('TRELLIS.2 with a LoRA file, its GLB in the 3D viewer, orbited', async () => {
    const { page } = await createAndRun({
      model: 'fal-ai/trellis-2-lora', shot: 'trellis2-lora', spinningViewers: true,
      files: {
        image_url: [upload('warrior.png', 'image/png', await image(300))],
        geometry_lora_url: [upload('style.safetensors', 'application/octet-stream', lora)],
      },
    });
    assert.ok(await webglRenderer(page), 'no WebGL context in the job view');
    const viewer = await openViewerWithoutPoster(page);
    const before = await elementShot(page, viewer, 'trellis2-viewer-before-orbit');
    const share = await foregroundShare(browser, before);
    console.log(`GLB viewer: ${(share * 100).toFixed(1)} % of the viewer's pixels are not background`);
    assert.ok(share >= 0.02 && share <= 0.95, `the model covers ${(share * 100).toFixed(1)} % of the viewer`);
    const renderBefore = await viewerRender(viewer, 'trellis2-viewer-render-before-orbit');
    const camera = await orbit(page, viewer);
    console.log(`GLB viewer: camera ${camera.before} → ${camera.after}`);
    assert.notEqual(camera.after, camera.before, 'the drag turned the camera');
    const renderAfter = await viewerRender(viewer, 'trellis2-viewer-render-after-orbit');
    const turned = await differenceShare(browser, renderBefore, renderAfter);
    console.log(`GLB viewer: ${(turned * 100).toFixed(1)} % of the viewer's rendered pixels changed by the orbit`);
    assert.ok(turned >= 0.005, `the orbit changed only ${(turned * 100).toFixed(2)} % of the rendered pixels`);
    // the page shows the new frame on its next paints: screenshot again until it does, or a deadline
    let moved = 0;
    await eventually('a screenshot showing the orbit', async () => {
      const after = await elementShot(page, viewer, 'trellis2-viewer-after-orbit');
      moved = await differenceShare(browser, before, after);
      return moved >= 0.005;
    }, env.uiTimeoutMs).catch(() => {});
    console.log(`GLB viewer: ${(moved * 100).toFixed(1)} % of the screenshot's pixels changed by the orbit`);
    assert.ok(moved >= 0.005, `the orbit changed only ${(moved * 100).toFixed(2)} % of the screenshot's pixels`);
    await assertNoCspViolations(page);
    await page.context().close();
  });
});

/** The job's viewer (loaded on first use, poster off) with the model drawn and auto-rotation stopped. */
async function openViewerWithoutPoster(page) {
  const viewer = jobView(page).getByRole('group', { name: /^3D view of / }).first();
  await viewer.waitFor({ timeout: env.jobTimeoutMs });
  assert.equal(await viewer.getAttribute('poster'), null, 'the viewer has no poster');
  assert.ok(await viewer.evaluate((v) => v.hasAttribute('auto-rotate')), 'the viewer auto-rotates');
  await viewer.evaluate(async (v) => {
    v.removeAttribute('auto-rotate'); // only the orbit may move the model between the screenshots
    if (!v.loaded) await new Promise((resolve) => v.addEventListener('load', resolve, { once: true }));
  });
  await drawNow(viewer);
  return viewer;
}

/** The viewer's own rendering of its current camera (model-viewer's toBlob), kept as a PNG. */
async function viewerRender(viewer, name) {
  const base64 = await viewer.evaluate(async (v) => {
    const bytes = new Uint8Array(await (await v.toBlob({ mimeType: 'image/png', idealAspect: false })).arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  });
  const png = Buffer.from(base64, 'base64');
  writeFileSync(join(env.screenshots, `${name}.png`), png);
  return png;
}

/** The camera at its goal (no easing left) and two frames for the page to paint it. */
async function drawNow(viewer) {
  await viewer.evaluate(async (v) => {
    v.jumpCameraToGoal();
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

/** A drag across the viewer, as a person orbits; returns the camera's orbit before and after. */
async function orbit(page, viewer) {
  await viewer.scrollIntoViewIfNeeded();
  const box = await viewer.boundingBox();
  const orbitNow = () => viewer.evaluate((v) => v.getCameraOrbit().toString());
  const before = await orbitNow();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  for (let step = 1; step <= 10; step += 1) await page.mouse.move(box.x + box.width * (0.3 + step * 0.012), y);
  await page.mouse.up();
  await drawNow(viewer);
  return { before, after: await orbitNow() };
}

describe('acting on jobs through the page', () => {
  it('a double click on "Run" makes exactly one job', async () => {
    const model = 'fal-ai/image-preprocessors/sam';
    const page = await newJobForm(model);
    await uploadAll(page, { image_url: [upload('twice.png', 'image/png', await image(60))] });
    const before = new Set((await jobsOf(model)).map((j) => j.id));
    const submits = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/jobs') submits.push(r);
    });
    await runButton(page).dblclick();
    const id = await shownJobId(page);
    const answers = await Promise.all(submits.map(async (r) => (await r.response())?.json()));
    assert.ok(answers.every((a) => a?.id === id), `every submit answered with ${id}: ${JSON.stringify(answers)}`);
    const created = (await jobsOf(model)).filter((j) => !before.has(j.id)).map((j) => j.id);
    assert.deepEqual(created, [id], 'jobs the double click created');
    if (submits.length > 1) {
      const keys = new Set(submits.map((r) => r.headers()['idempotency-key']));
      assert.equal(keys.size, 1, 'both submits carry the same Idempotency-Key');
    }
    await waitForStatus(page, 'succeeded');
    await page.context().close();
  });

  it('cancel, then delete with a confirmation', async () => {
    const model = 'fal-ai/image-preprocessors/sam';
    const page = await newJobForm(model);
    await uploadAll(page, { image_url: [upload('cancel-me.png', 'image/png', await image(10))] });
    await setFalSpeed(0.5); // fal takes its time: the job stays pending until canceled
    try {
      await runButton(page).click();
      const id = await shownJobId(page);
      await jobView(page).getByRole('button', { name: 'Cancel job' }).click();
      await waitForStatus(page, 'canceled');
      assert.equal((await job(id)).json.status, 'canceled');
      await screenshot(page, 'canceled-job', { fullPage: true });
      await confirmDelete(page);
      await eventually(`${id} deleted`, async () => (await job(id)).status === 404);
      await eventually(`${id} gone from the page`, async () => (await page.getByText(id).filter({ visible: true }).count()) === 0, env.uiTimeoutMs);
    } finally {
      await setFalSpeed(env.speed);
    }
    await page.context().close();
  });

  it('"Run again" opens the form filled with the job\'s input and runs it', async () => {
    const model = 'fal-ai/image-editing/background-change';
    const prompt = 'a red chair in snow';
    const { page, shown } = await createAndRun({
      model, shot: 'run-again-first',
      files: { image_url: [upload('again.png', 'image/png', await image(45))] },
      text: { prompt },
    });
    await page.reload();
    await waitForStatus(page, 'succeeded');
    await jobView(page).getByRole('button', { name: 'Run again' }).click();
    assert.equal(await field(page, 'prompt').inputValue(), prompt, 'the prompt carried over');
    await runButton(page).click();
    await eventually('a new job in the address', async () => !page.url().endsWith(shown.id) && /#\/jobs\/job_/.test(page.url()));
    const againId = await shownJobId(page);
    await waitForStatus(page, 'succeeded');
    const again = (await job(againId)).json;
    assert.deepEqual(again.input, shown.input, 'the second job ran with the first one\'s input');
    await page.context().close();
  });

  it('a server-side field error appears at its field', async () => {
    const model = 'fal-ai/trellis-2-lora';
    const page = await newJobForm(model);
    const notSafetensors = Buffer.from('{"this is": "not a safetensors file, only its name says so"}');
    await uploadAll(page, {
      image_url: [upload('ok.png', 'image/png', await image(75))],
      texture_lora_url: [upload('broken.safetensors', 'application/octet-stream', notSafetensors)],
    });
    const before = (await jobsOf(model)).length;
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/v1/jobs');
    await runButton(page).click();
    const answer = await refused;
    assert.equal(answer.status(), 400, 'the server refused the job');
    const problem = (await answer.json()).error.details.find((d) => d.field.endsWith('texture_lora_url'));
    assert.ok(problem, 'the server named texture_lora_url');
    await screenshot(page, 'field-error', { fullPage: true });
    const control = field(page, 'texture_lora_url').first();
    const description = await control.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    assert.ok(description.includes(problem.message), `the field describes "${problem.message}": "${description}"`);
    assert.equal(await control.evaluate((el) => el.getAttribute('aria-invalid')), 'true', 'the field is marked invalid');
    assert.equal((await jobsOf(model)).length, before, 'no job stored');
    await screenshot(page, 'field-error', { fullPage: true });
    await page.context().close();
  });
});

describe('accessibility (axe-core)', () => {
  it('the list, the form and a job view have no serious or critical violations', async () => {
    const page = await signedInPage();
    await page.getByRole('row').nth(1).waitFor(); // a loaded list: a header row and jobs
    await assertNoSeriousAxeViolations(page, 'the job list');
    await screenshot(page, 'list', { fullPage: true });
    await openNewJobForm(page);
    await pickModel(page, 'fal-ai/trellis-2-lora');
    await assertNoSeriousAxeViolations(page, 'the new-job form');
    const [latest] = await jobsOf('fal-ai/image-editing/background-change');
    assert.ok(latest, 'an editor job to look at (made by an earlier test)');
    await page.goto(`/#/jobs/${latest.id}`);
    await waitForStatus(page, latest.status);
    await assertNoSeriousAxeViolations(page, 'a job view');
    await page.context().close();
  });
});
