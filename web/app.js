// Entry point: the API key form, the job list (filters, paging, auto-refresh), the detail panel.

import { createApi, isAbort } from './api.js';
import { formatAgo, isExpired, isPending } from './format.js';
import { renderDetail, renderJobRows, renderModelOptions, updateLiveDurations } from './jobs-view.js';

const KEY_STORAGE = 'falgate.apiKey';
const REFRESH_MS = 3_000;
const MAX_BACKOFF_MS = 60_000;
const URL_EXPIRY_MARGIN_MS = 5 * 60_000;
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
  detail: $('detail'),
  detailTitle: $('detail-title'),
  detailNotice: $('detail-notice'),
  detailBody: $('detail-body'),
  detailReload: $('detail-reload'),
  detailClose: $('detail-close'),
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
  detailId: null,
  detailRenderedAt: null, // updated_at of the job shown in the detail
  detailRequest: null,
  detailOpener: null,
};

const api = createApi({ getKey: () => state.key });

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
  els.jobsView.hidden = false;
  els.forgetKey.hidden = false;
  resetList();
  loadModels();
  loadPage();
}

/** Drops the key and everything shown with it; back to the key form. */
function signOut(message) {
  state.key = null;
  forgetStoredKey();
  stopRefresh();
  state.listRequest?.abort();
  state.modelsRequest?.abort();
  closeDetail();
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
    state.renderedSignature = ''; // titles changed: re-render the rows
    renderList();
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
  syncDetailFromList();
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

/** The message, its field details, and a closing full stop. */
function describeError(error) {
  const details = error.details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
  const text = details ? `${error.message} (${details})` : error.message;
  return /[.!?]$/.test(text) ? text : `${text}.`;
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
  if (focusedId) els.tbody.querySelector(`button[data-job-id="${CSS.escape(focusedId)}"]`)?.focus();
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
    els.empty.textContent = 'No jobs yet. Submit one with POST /v1/jobs.';
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
  } else if (hasPendingJobs()) {
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
  if (!state.failures) return REFRESH_MS;
  return Math.min(REFRESH_MS * 2 ** state.failures, MAX_BACKOFF_MS);
}

/** Refresh again while jobs are pending (or after a retryable failure); never while hidden. */
function scheduleRefresh() {
  stopRefresh();
  if (!state.key || document.hidden || state.listRequest) return;
  if (!hasPendingJobs() && !state.failures) return;
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

function linksExpiringSoon() {
  return state.jobs.some((job) => (job.files ?? []).some((f) => isExpired(f, URL_EXPIRY_MARGIN_MS)));
}

function onVisibilityChange() {
  if (!state.key) return;
  if (document.hidden) {
    stopRefresh();
    renderUpdated();
    return;
  }
  if (state.listRequest) return;
  if (hasPendingJobs() || state.failures || linksExpiringSoon()) loadPage({ background: true });
}

function tick() {
  if (!state.key || document.hidden) return;
  const now = Date.now();
  renderUpdated(now);
  updateLiveDurations(els.tbody, now);
  if (els.detail.open) updateLiveDurations(els.detailBody, now);
}

// ---------------------------------------------------------------- the detail panel

function openDetail(id, opener) {
  state.detailId = id;
  state.detailOpener = opener ?? null;
  const job = state.jobs.find((j) => j.id === id);
  showDetailNotice('');
  if (job) {
    showDetailJob(job);
  } else {
    els.detailTitle.textContent = 'Job';
    els.detailBody.textContent = 'Loading…';
  }
  if (!els.detail.open) els.detail.showModal();
  els.detailClose.focus();
  if (!job || (job.files ?? []).some((f) => isExpired(f, URL_EXPIRY_MARGIN_MS))) reloadDetail();
}

function showDetailJob(job) {
  const scroll = els.detail.scrollTop;
  state.detailRenderedAt = job.updated_at;
  els.detailTitle.textContent = modelTitle(job.model);
  renderDetail(els.detailBody, job, { modelTitle });
  els.detail.scrollTop = scroll;
}

async function reloadDetail() {
  const id = state.detailId;
  if (!id) return;
  state.detailRequest?.abort();
  const request = new AbortController();
  state.detailRequest = request;
  els.detailReload.disabled = true;
  try {
    const job = await api.getJob(id, request.signal);
    if (state.detailId !== id) return;
    showDetailNotice('');
    showDetailJob(job);
    replaceListedJob(job);
  } catch (error) {
    if (isAbort(error)) return;
    if (error.unauthorized) {
      onUnauthorized();
      return;
    }
    showDetailNotice(`Could not load this job: ${describeError(error)}`);
  } finally {
    if (state.detailRequest === request) {
      state.detailRequest = null;
      els.detailReload.disabled = false;
    }
  }
}

function replaceListedJob(job) {
  const index = state.jobs.findIndex((j) => j.id === job.id);
  if (index < 0) return;
  state.jobs[index] = job;
  renderList();
  scheduleRefreshIfIdle();
}

function scheduleRefreshIfIdle() {
  if (!state.refreshTimer && !state.listRequest) scheduleRefresh();
}

/** Keeps an open detail in step with the list's auto-refresh. */
function syncDetailFromList() {
  if (!els.detail.open || !state.detailId) return;
  const job = state.jobs.find((j) => j.id === state.detailId);
  if (job && job.updated_at !== state.detailRenderedAt) showDetailJob(job);
}

function showDetailNotice(text) {
  els.detailNotice.hidden = !text;
  els.detailNotice.textContent = text;
  els.detailNotice.className = text ? 'notice notice--error' : 'notice';
}

function closeDetail() {
  if (els.detail.open) els.detail.close();
}

function onDetailClosed() {
  state.detailRequest?.abort();
  const id = state.detailId;
  state.detailId = null;
  state.detailRenderedAt = null;
  els.detailBody.replaceChildren();
  const opener = state.detailOpener?.isConnected
    ? state.detailOpener
    : els.tbody.querySelector(`button[data-job-id="${CSS.escape(id ?? '')}"]`);
  state.detailOpener = null;
  opener?.focus();
}

function onRowClick(event) {
  const row = event.target.closest('tr[data-job-id]');
  if (!row || event.target.closest('a')) return;
  const button = row.querySelector('button.row-open');
  openDetail(row.dataset.jobId, button);
}

function onDetailClick(event) {
  if (event.target === els.detail) closeDetail(); // a click on the backdrop
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
  els.detail.addEventListener('click', onDetailClick);
  els.detail.addEventListener('close', onDetailClosed);
  els.detailClose.addEventListener('click', closeDetail);
  els.detailReload.addEventListener('click', reloadDetail);
  document.addEventListener('visibilitychange', onVisibilityChange);
  setInterval(tick, 1_000);
}

function boot() {
  wire();
  const key = readStoredKey();
  if (key) startSession(key);
  else showKeyForm();
}

boot();
