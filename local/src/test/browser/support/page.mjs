// The page's contract as the issue names it (accessible names), and what the tests watch in it.
import { env } from './env.mjs';

/**
 * Installed before any page script: records every value each <progress> shows, and every CSP
 * violation, so a test can read the history after the fact instead of racing the page.
 */
export async function recordProgressAndCsp(context) {
  await context.addInitScript(() => {
    const seen = new Map();
    window.__progressHistory = () => [...seen.entries()].map(([bar, values]) => ({
      label: bar.labels?.[0]?.textContent?.trim() || bar.getAttribute('aria-label') || '', values,
    }));
    window.__progressReset = () => seen.clear();
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
    const note = (bar) => {
      if (!seen.has(bar)) seen.set(bar, []);
      const max = Number(bar.getAttribute('max') ?? 1) || 1;
      if (bar.hasAttribute('value')) seen.get(bar).push((100 * Number(bar.getAttribute('value'))) / max);
    };
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.target instanceof HTMLProgressElement) note(m.target);
        for (const added of m.addedNodes) {
          if (added instanceof HTMLProgressElement) note(added);
          else if (added.querySelectorAll) added.querySelectorAll('progress').forEach(note);
        }
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['value', 'max'] });
  });
}

/**
 * Stops the auto-rotation of every 3D viewer the page adds: a spinning model is redrawn every
 * frame, which a software renderer (SwiftShader) pays for with the CPU the other checks need.
 * The viewer's own test leaves it on (and stops it itself before comparing screenshots).
 */
export async function stillViewers(context) {
  await context.addInitScript(() => {
    new MutationObserver(() => {
      document.querySelectorAll('model-viewer[auto-rotate]').forEach((v) => v.removeAttribute('auto-rotate'));
    }).observe(document, { subtree: true, childList: true });
  });
}

export async function progressHistory(page) {
  return page.evaluate(() => window.__progressHistory());
}

export async function forgetProgress(page) {
  await page.evaluate(() => window.__progressReset());
}

export async function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations);
}

export async function openNewJobForm(page) {
  await page.getByRole('button', { name: 'New job' }).click();
  await modelPicker(page).waitFor();
}

/** The form's "Model" control (the list's own filter is "Filter by model"). */
function modelPicker(page) {
  return page.getByRole('combobox', { name: 'Model', exact: true });
}

/** The model picker: a <select>, or a searchable box with options. */
export async function pickModel(page, modelId) {
  const picker = modelPicker(page);
  if (await picker.evaluate((e) => e.tagName === 'SELECT')) {
    // the options come from GET /v1/models, after the form opens
    await picker.locator(`option[value="${modelId}"]`).waitFor({ state: 'attached' });
    await picker.selectOption(modelId);
  } else {
    await picker.fill(modelId);
    await page.getByRole('option', { name: new RegExp(escapeRegExp(modelId)) }).first().click();
  }
  await page.getByRole('button', { name: 'Run', exact: true }).waitFor();
}

/** A field's control, labelled by the field's name. */
export function field(page, name) {
  return page.getByLabel(name, { exact: true }).and(page.locator('input, select, textarea'));
}

/** Picks files for a file field: its labelled file input, or the file chooser it opens. */
export async function chooseFiles(page, name, files) {
  const controls = page.getByLabel(name, { exact: true });
  const fileInput = controls.and(page.locator('input[type=file]'));
  if (await fileInput.count()) {
    await fileInput.first().setInputFiles(files);
    return;
  }
  const chooser = page.waitForEvent('filechooser');
  await controls.first().click();
  await (await chooser).setFiles(files);
}

/** Resolves once every upload's progress bar sits at 100 %. */
export async function uploadsFinished(page, count) {
  await page.waitForFunction((n) => {
    const bars = [...document.querySelectorAll('progress')];
    return bars.length >= n && bars.every((b) => b.value >= b.max);
  }, count, { timeout: env.jobTimeoutMs });
}

export function runButton(page) {
  return page.getByRole('button', { name: 'Run', exact: true });
}

/** The job view: the part of the page that holds the job's own actions. */
export function jobView(page) {
  return page.locator(':is(dialog[open], [role=dialog], article, section)')
    .filter({ has: page.getByRole('button', { name: 'Run again' }) }).first();
}

/** The id of the job the page shows, from its address (#/jobs/<id>). */
export async function shownJobId(page) {
  await page.waitForURL(/#\/jobs\/job_[0-9A-Z]+$/);
  return new URL(page.url()).hash.replace('#/jobs/', '');
}

export async function waitForStatus(page, status) {
  await jobView(page).getByText(status, { exact: true }).first().waitFor({ timeout: env.jobTimeoutMs });
}

/** The name a download saves under: the API's file_name, else the field plus the stored extension. */
export function fileName(file) {
  if (file.file_name) return file.file_name;
  const extension = new URL(file.url).pathname.split('.').pop();
  return `${file.field.replace(/\[(\d+)\]/g, '_$1').replace(/\./g, '_')}.${extension}`;
}

/** Confirms a deletion whichever way the page asks: window.confirm or its own dialog. */
export async function confirmDelete(page) {
  page.once('dialog', (dialog) => dialog.accept());
  await jobView(page).getByRole('button', { name: 'Delete job' }).click();
  const ownDialog = page.getByRole('alertdialog').or(page.locator('dialog[open]')
    .filter({ hasNot: page.getByRole('button', { name: 'Run again' }) }));
  const confirm = ownDialog.getByRole('button', { name: /^(delete|yes|confirm)/i }).first();
  const gone = page.waitForURL((url) => !/#\/jobs\/job_/.test(url.hash));
  await Promise.race([gone, confirm.waitFor().then(() => confirm.click()).catch(() => {})]);
  await gone;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
