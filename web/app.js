// Entry point: the API key form, the routes (#/ list, #/new form, #/jobs/<id> job), and the job
// list (filters, paging, auto-refresh). The form and the job page live in their own modules.

import { createApi, isAbort } from './api.js';
import { confirmDialog } from './confirm.js';
import { describeApiError as describeError } from './errors.js';
import { formatAgo, isPending } from './format.js';
import { createJobPage } from './job-page.js';
import { renderJobRows, renderModelOptions, updateLiveDurations } from './jobs-view.js';
import { createNewJobForm } from './new-job.js';
import { go, parseRoute, routes } from './router.js';

const KEY_STORAGE = 'falgate.apiKey';
const REFRESH_MS = 3_000;
const IDLE_REFRESH_MS = 5_000; // nothing pending: still look for jobs submitted elsewhere
const MAX_BACKOFF_MS = 60_000;
const PAGE_SIZES = [20, 50, 100];

const $ = (id) => document.getElementById(id);

const els = {
  forgetKey: $('forget-key'),
  keyView: $('key-view'),
  keyForm: $('key-form'),
  keyInput: $('key-input'),
  keyMessage: $('key-message'),
  jobsView: $('jobs-view'),
  filters: $('filters'),
  status: $('filter-status'),
  model: $('filter-model'),
  limit: $('filter-limit'),
  refresh: $('refresh'),
  updated: $('updated'),
  notice: $('list-notice'),
  tableWrap: document.querySelector('.table-wrap'),
  table: $('jobs-table'),
  tbody: $('jobs-body'),
  empty: $('empty'),
  newer: $('newer'),
  older: $('older'),
  pageLabel: $('page-label'),
  newJob: $('new-job'),
  newView: $('new-view'),
  jobView: $('job-view'),
};

const state = {
  key: null,
  models: new Map(), // id → model from /v1/models
  filters: { status: '', model: '', limit: PAGE_SIZES[0] },
  cursors: [null], // the cursor of every page visited; the last one is the current page
  jobs: [],
  nextCursor: null,
  loaded: false, // the current page has been fetched at least once
  failed: false, // the last fetch of the current page failed
  renderedSignature: '',
  updatedAt: null, // ms of the last successful list fetch
  failures: 0, // consecutive retryable list failures, for the backoff
  listRequest: null, // AbortController of the list request in flight
  modelsRequest: null,
  refreshTimer: null,
  nextRefreshAt: null,
  route: { view: 'list' },
  pendingOpen: null, // the job just created, shown before its first read
  listScroll: 0, // where the list was when a job was opened, restored on the way back
};

const api = createApi({ getKey: () => state.key });

const newJobForm = createNewJobForm(els.newView, {
  api,
  onCreated: (job) => {
    addListedJob(job);
    state.pendingOpen = job;
    go(routes.job(job.id));
  },
  onUnauthorized: () => onUnauthorized(),
});

const jobPage = createJobPage(els.jobView, {
  api,
  modelOf: (id) => state.models.get(id),
  confirmDelete: () => confirmDialog({
    title: 'Delete this job?',
    text: 'The job, its output files and fal’s raw result are removed. This cannot be undone.',
    confirm: 'Delete permanently',
    cancel: 'Keep job',
  }),
  onJob: (job) => replaceListedJob(job),
  onDeleted: (id) => {
    state.jobs = state.jobs.filter((j) => j.id !== id);
    state.renderedSignature = '';
    showNotice('The job was deleted.', 'info');
    go(routes.list());
  },
  onUnauthorized: () => onUnauthorized(),
});

// ---------------------------------------------------------------- the API key

function readStoredKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

function storeKey(key) {
  try {
    sessionStorage.setItem(KEY_STORAGE, key);
  } catch {
    // storage unavailable (private mode): the key lives in memory for this page only
  }
}

function forgetStoredKey() {
  try {
    sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // nothing stored
  }
}

function showKeyForm(message = '') {
  els.jobsView.hidden = true;
  els.newView.hidden = true;
  els.jobView.hidden = true;
  els.newJob.hidden = true;
  els.forgetKey.hidden = true;
  els.keyView.hidden = false;
  els.keyMessage.hidden = !message;
  els.keyMessage.textContent = message;
  els.keyMessage.classList.toggle('notice--error', Boolean(message));
  els.keyInput.value = '';
  els.keyInput.focus();
}

function onKeySubmit(event) {
  event.preventDefault();
  const key = els.keyInput.value.trim();
  if (!key) {
    showKeyForm('Enter an API key.');
    return;
  }
  els.keyInput.value = '';
  storeKey(key);
  startSession(key);
}

function startSession(key) {
  state.key = key;
  els.keyView.hidden = true;
  els.forgetKey.hidden = false;
  els.newJob.hidden = false;
  resetList();
  loadModels();
  loadPage();
  showRoute();
}

/** Drops the key and everything shown with it; back to the key form. */
function signOut(message) {
  state.key = null;
  forgetStoredKey();
  stopRefresh();
  state.listRequest?.abort();
  state.modelsRequest?.abort();
  jobPage.close();
  resetList();
  resetFilters();
  state.models.clear();
  renderModelOptions(els.model, []);
  els.tbody.replaceChildren();
  showKeyForm(message);
}

function onUnauthorized() {
  signOut('The server did not accept this API key (401 unauthorized). Enter a valid key.');
}

// ---------------------------------------------------------------- models

async function loadModels() {
  state.modelsRequest?.abort();
  const request = new AbortController();
  state.modelsRequest = request;
  try {
    const { models } = await api.listModels(request.signal);
    state.models = new Map((models ?? []).map((m) => [m.id, m]));
    renderModelOptions(els.model, models ?? []);
    newJobForm.setModels(models ?? []);
    state.renderedSignature = ''; // titles changed: re-render the rows
    renderList();
    if (state.route.view === 'new') openNewJob(state.route);
  } catch (error) {
    if (isAbort(error)) return;
    if (error.unauthorized) onUnauthorized();
    // otherwise keep model ids as titles; the list still works
  } finally {
    if (state.modelsRequest === request) state.modelsRequest = null;
  }
}

function modelTitle(id) {
  return state.models.get(id)?.title || id || 'unknown model';
}

// ---------------------------------------------------------------- the list

function resetList() {
  state.cursors = [null];
  state.jobs = [];
  state.nextCursor = null;
  state.loaded = false;
  state.failed = false;
  state.renderedSignature = '';
  state.updatedAt = null;
  state.failures = 0;
  showNotice('');
}

function currentCursor() {
  return state.cursors[state.cursors.length - 1];
}

/** Fetches the current page. A newer call aborts an older one: requests never overlap. */
async function loadPage({ background = false } = {}) {
  stopRefresh();
  state.listRequest?.abort();
  const request = new AbortController();
  state.listRequest = request;
  setBusy(true, background);
  try {
    const page = await api.listJobs({ ...state.filters, cursor: currentCursor() }, request.signal);
    onPageLoaded(page);
  } catch (error) {
    if (isAbort(error)) return;
    onPageFailed(error);
  } finally {
    if (state.listRequest === request) {
      state.listRequest = null;
      setBusy(false, background);
      scheduleRefresh();
    }
  }
}

function onPageLoaded(page) {
  state.jobs = Array.isArray(page?.jobs) ? page.jobs : [];
  state.nextCursor = page?.next_cursor ?? null;
  state.loaded = true;
  state.failed = false;
  state.updatedAt = Date.now();
  state.failures = 0;
  showNotice('');
  renderList();
}

function onPageFailed(error) {
  if (error.unauthorized) {
    onUnauthorized();
    return;
  }
  if (isCursorError(error) && state.cursors.length > 1) {
    state.cursors = [null];
    showNotice('That page is no longer available; showing the newest jobs.', 'warn');
    queueMicrotask(() => loadPage());
    return;
  }
  state.failed = true;
  state.failures = error.retryable ? state.failures + 1 : 0;
  const retry = error.retryable ? ` Retrying in ${Math.round(refreshDelay() / 1000)} s.` : '';
  showNotice(`Could not load jobs: ${describeError(error)}${retry}`, 'error');
  renderList();
}

function isCursorError(error) {
  return error.status === 400 && (/cursor/.test(error.code) || error.details.some((d) => d.field === 'cursor'));
}


function setBusy(busy, background) {
  els.table.setAttribute('aria-busy', String(busy));
  if (!background) els.tableWrap.classList.toggle('is-loading', busy);
}

function pageSignature() {
  const jobs = state.jobs.map((j) => `${j.id}:${j.status}:${j.updated_at}`).join(',');
  return `${state.cursors.length}|${state.nextCursor}|${jobs}`;
}

/** Re-renders the rows only when something visible changed; keeps keyboard focus on its row. */
function renderList() {
  renderPager();
  renderEmpty();
  renderUpdated();
  const signature = pageSignature();
  if (signature === state.renderedSignature) return;
  state.renderedSignature = signature;
  const focusedId = document.activeElement?.closest?.('#jobs-body [data-job-id]')?.dataset.jobId;
  renderJobRows(els.tbody, state.jobs, { modelTitle });
  if (focusedId) els.tbody.querySelector(`a[data-job-id="${CSS.escape(focusedId)}"]`)?.focus();
}

function renderPager() {
  const page = state.cursors.length;
  els.newer.disabled = page <= 1;
  els.older.disabled = !state.nextCursor;
  els.pageLabel.textContent = `Page ${page}`;
}

function renderEmpty() {
  const hasJobs = state.jobs.length > 0;
  els.table.hidden = !hasJobs;
  els.empty.hidden = hasJobs || state.failed;
  if (!state.loaded) {
    els.empty.textContent = 'Loading jobs…';
  } else if (state.cursors.length > 1) {
    els.empty.textContent = 'No older jobs.';
  } else if (state.filters.status || state.filters.model) {
    els.empty.textContent = 'No jobs match these filters.';
  } else {
    els.empty.textContent = 'No jobs yet. Start one with “New job”.';
  }
}

function renderUpdated(now = Date.now()) {
  if (!state.updatedAt) {
    els.updated.textContent = '';
    return;
  }
  const parts = [`Updated ${formatAgo(new Date(state.updatedAt).toISOString(), now)}`];
  if (state.failures && state.nextRefreshAt) {
    parts.push(`retrying in ${Math.max(0, Math.ceil((state.nextRefreshAt - now) / 1000))} s`);
  } else if (hasPendingJobs() || state.cursors.length === 1) {
    parts.push(document.hidden ? 'auto-refresh paused' : 'auto-refreshing');
  }
  els.updated.textContent = parts.join(' · ');
}

function showNotice(text, kind = 'info') {
  els.notice.hidden = !text;
  els.notice.textContent = text;
  els.notice.className = `notice notice--${kind}`;
}

// ---------------------------------------------------------------- paging and filters

function goOlder() {
  if (!state.nextCursor) return;
  state.cursors.push(state.nextCursor);
  loadPageFromTop();
}

function goNewer() {
  if (state.cursors.length <= 1) return;
  state.cursors.pop();
  loadPageFromTop();
}

function loadPageFromTop() {
  state.nextCursor = null;
  renderPager();
  loadPage();
  els.jobsView.scrollIntoView({ block: 'start' });
}

function resetFilters() {
  els.filters.reset();
  state.filters = { status: '', model: '', limit: PAGE_SIZES[0] };
}

function onFiltersChange() {
  const limit = Number(els.limit.value);
  state.filters = {
    status: els.status.value,
    model: els.model.value,
    limit: PAGE_SIZES.includes(limit) ? limit : PAGE_SIZES[0],
  };
  resetList();
  renderList();
  loadPage();
}

// ---------------------------------------------------------------- auto-refresh

function hasPendingJobs() {
  return state.jobs.some(isPending);
}

function refreshDelay() {
  if (state.failures) return Math.min(REFRESH_MS * 2 ** state.failures, MAX_BACKOFF_MS);
  return hasPendingJobs() ? REFRESH_MS : IDLE_REFRESH_MS;
}

/**
 * Refresh while the list is shown: often while jobs are pending, less often otherwise (on the
 * first page, where a job submitted elsewhere appears), backing off after failures; never
 * while the tab is hidden.
 */
function scheduleRefresh() {
  stopRefresh();
  if (!state.key || document.hidden || state.listRequest || state.route.view !== 'list') return;
  if (!hasPendingJobs() && !state.failures && state.cursors.length > 1) return;
  const delay = refreshDelay();
  state.nextRefreshAt = Date.now() + delay;
  state.refreshTimer = setTimeout(() => {
    state.refreshTimer = null;
    state.nextRefreshAt = null;
    loadPage({ background: true });
  }, delay);
  renderUpdated();
}

function stopRefresh() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = null;
  state.nextRefreshAt = null;
}

function onVisibilityChange() {
  if (!state.key) return;
  if (document.hidden) {
    stopRefresh();
    renderUpdated();
    return;
  }
  if (state.route.view === 'job') jobPage.onVisible();
  if (state.listRequest || state.route.view !== 'list') return;
  loadPage({ background: true });
}

function tick() {
  if (!state.key || document.hidden) return;
  const now = Date.now();
  renderUpdated(now);
  updateLiveDurations(els.tbody, now);
  if (state.route.view === 'job') jobPage.tick(now);
}

// ---------------------------------------------------------------- routes

/** Shows the view of the current address; every view starts at its top (or the list where it was). */
function showRoute() {
  const previous = state.route;
  if (previous.view === 'list' && !els.jobsView.hidden) state.listScroll = window.scrollY;
  state.route = parseRoute();
  if (!state.key) return;
  const { view } = state.route;
  els.jobsView.hidden = view !== 'list';
  els.newView.hidden = view !== 'new';
  els.jobView.hidden = view !== 'job';
  if (view !== 'job') jobPage.close();
  if (view === 'list') {
    window.scrollTo(0, state.listScroll);
    document.title = 'falgate · jobs';
    if (previous.view !== 'list') loadPage({ background: true });
  } else {
    stopRefresh();
    window.scrollTo(0, 0);
  }
  if (view === 'new') {
    document.title = 'falgate · new job';
    openNewJob(state.route);
  }
  if (view === 'job') {
    document.title = `falgate · job ${state.route.id}`;
    const known = state.pendingOpen?.id === state.route.id ? state.pendingOpen : state.jobs.find((j) => j.id === state.route.id);
    state.pendingOpen = null;
    jobPage.open(state.route.id, known);
  }
}

/** #/new?model=…&from=<job id>: "Run again" fills the form with that job's input. */
async function openNewJob({ model, from }) {
  if (!state.models.size) return; // called again once the catalog is in
  if (!from) {
    newJobForm.open({ modelId: model });
    return;
  }
  try {
    const job = state.jobs.find((j) => j.id === from) ?? await api.getJob(from);
    const previews = new Map((job.input_files ?? []).map((f) => [f.field, f.url]));
    if (parseRoute().view === 'new') newJobForm.open({ modelId: job.model, values: job.input ?? {}, previews });
  } catch (error) {
    if (error.unauthorized) onUnauthorized();
    else newJobForm.open({ modelId: model });
  }
}

function addListedJob(job) {
  if (state.cursors.length === 1 && !state.jobs.some((j) => j.id === job.id)) {
    state.jobs = [job, ...state.jobs];
    renderList();
  }
}

function replaceListedJob(job) {
  const index = state.jobs.findIndex((j) => j.id === job.id);
  if (index < 0) return;
  state.jobs[index] = job;
  renderList();
}

// ---------------------------------------------------------------- wiring

function wire() {
  els.keyForm.addEventListener('submit', onKeySubmit);
  els.forgetKey.addEventListener('click', () => signOut('The key was removed from this tab.'));
  els.filters.addEventListener('change', onFiltersChange);
  els.filters.addEventListener('submit', (event) => event.preventDefault());
  els.refresh.addEventListener('click', () => loadPage());
  els.newer.addEventListener('click', goNewer);
  els.older.addEventListener('click', goOlder);
  els.tbody.addEventListener('click', onRowClick);
  els.newJob.addEventListener('click', () => go(routes.newJob()));
  window.addEventListener('hashchange', showRoute);
  document.addEventListener('visibilitychange', onVisibilityChange);
  setInterval(tick, 1_000);
}

/** A click anywhere on a row opens its job, as its link does. */
function onRowClick(event) {
  const row = event.target.closest('tr[data-job-id]');
  if (!row || event.target.closest('a, button')) return;
  go(routes.job(row.dataset.jobId));
}

function boot() {
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  wire();
  const key = readStoredKey();
  if (key) startSession(key);
  else showKeyForm();
}

boot();
