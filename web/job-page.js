// One job's page (#/jobs/<id>): status kept live while pending (a waiting read, GET
// /v1/jobs/{id}?wait=25, answers as soon as the job ends), fal's queue position and log lines
// from /progress, the files, and the actions Cancel job / Delete job / Run again.

import { isAbort } from './api.js';
import { clear, h } from './dom.js';
import { describeApiError, explainJobError } from './errors.js';
import { formatDuration, formatLocalTime, isExpired, isPending, jobDuration, prettyJson, toMillis } from './format.js';
import { renderFiles } from './outputs.js';
import { go, routes } from './router.js';
import { modelIdParts, statusBadge, updateLiveDurations } from './jobs-view.js';

// while the job is pending, one waiting read after another: each answers when the job ends or after this long
const JOB_WAIT_SECONDS = 25;
// after a failed read, and while file links are about to expire
const JOB_RETRY_MS = 2_000;
// the progress while the job is pending (the server asks fal at most once per job per 2 s anyway)
const PROGRESS_POLL_MS = 2_000;
const URL_EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * @param {HTMLElement} root
 * @param {{ api, modelOf: (id: string) => object | undefined, confirmDelete: () => Promise<boolean>,
 *   onJob: (job: object) => void, onDeleted: (id: string) => void, onUnauthorized: () => void }} deps
 */
export function createJobPage(root, deps) {
  const { api } = deps;
  const title = h('h1', { id: 'job-title', tabindex: '-1' }, 'Job');
  const actions = h('div', { class: 'job-actions' });
  const notice = h('p', { class: 'notice', role: 'status', hidden: true });
  const live = h('div', { class: 'job-live' });
  const body = h('div', { class: 'job-body' });
  root.append(
    h('p', { class: 'back' }, h('a', { href: routes.list() }, '← All jobs')),
    h('header', { class: 'job-head' }, title, actions),
    notice, live, body);

  let job = null;
  let id = null;
  let timer = null;
  let request = null;
  let failed = false; // the last read failed: retry after JOB_RETRY_MS
  let progressTimer = null;
  let progressRequest = null;
  let progress = null; // the last /progress answer for this job
  let progressUnavailable = false;
  let renderedAt = null;
  let gone = false; // the job answered 404: nothing to poll

  async function load() {
    const wanted = id;
    clearTimeout(timer);
    timer = null;
    request?.abort();
    const controller = new AbortController();
    request = controller;
    failed = false;
    try {
      const wait = job?.id === wanted && isPending(job) ? JOB_WAIT_SECONDS : undefined;
      const next = await api.getJob(wanted, controller.signal, wait);
      if (id !== wanted) return;
      showNotice('');
      show(next);
      deps.onJob(next);
      if (isPending(next) && !progressTimer && !progressRequest) pollProgress();
    } catch (error) {
      if (isAbort(error) || id !== wanted) return;
      failed = true;
      if (error.unauthorized) return deps.onUnauthorized();
      if (error.status === 404) {
        gone = true;
        showGone('This job does not exist, or it was deleted.');
        return;
      }
      showNotice(`Could not load this job: ${describeApiError(error)} Retrying.`, 'error');
    } finally {
      if (request === controller) { // else a newer read took over (and schedules): no second chain
        request = null;
        schedule();
      }
    }
  }

  /** The progress now, then every PROGRESS_POLL_MS while the job is pending, beside the waiting reads. */
  async function pollProgress() {
    const wanted = id;
    const controller = new AbortController();
    progressRequest = controller;
    try {
      await loadProgress(wanted, controller.signal);
      if (id === wanted && job && isPending(job)) renderLive();
    } catch (error) {
      if (!isAbort(error)) throw error;
    } finally {
      if (progressRequest === controller) { // else a newer chain (another job) took over
        progressRequest = null;
        scheduleProgress();
      }
    }
  }

  function scheduleProgress() {
    clearTimeout(progressTimer);
    progressTimer = null;
    if (!id || gone || document.hidden || progressUnavailable || progressRequest || !job || !isPending(job)) return;
    progressTimer = setTimeout(pollProgress, PROGRESS_POLL_MS);
  }

  async function loadProgress(wanted, signal) {
    try {
      progress = await api.getProgress(wanted, signal);
    } catch (error) {
      if (isAbort(error)) throw error;
      if (error.status === 404 || error.status === 405 || error.status === 501) progressUnavailable = true;
      // otherwise keep the last answer; the status below is what matters
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (!id || gone || document.hidden) return;
    if (job && !isPending(job) && !linksExpiring(job)) return;
    // pending: the next waiting read at once (it does the waiting); otherwise fresh links in a while
    timer = setTimeout(load, failed || !job || !isPending(job) ? JOB_RETRY_MS : 0);
  }

  function show(next) {
    const changed = !job || job.id !== next.id || job.updated_at !== renderedAt || job.status !== next.status
      || !sameFiles(job, next);
    job = next;
    title.textContent = deps.modelOf(job.model)?.title ?? job.model ?? 'Job';
    renderActions();
    renderLive();
    if (changed) {
      renderedAt = job.updated_at;
      clear(body).append(summary(job, deps.modelOf(job.model)), job.error ? errorBox(job.error) : '',
        renderFiles(job, deps.modelOf(job.model)), timeline(job), jsonBlock('Input', job.input, false),
        jsonBlock('Output', job.output, false), jsonBlock('Metadata', job.metadata, false));
    }
  }

  function renderActions() {
    const buttons = [];
    if (isPending(job)) buttons.push(actionButton('Cancel job', cancel));
    else buttons.push(actionButton('Delete job', remove, 'button--danger'));
    const again = routes.newJob({ model: job.model, from: job.id });
    buttons.push(actionButton('Run again', () => go(again)));
    actions.replaceChildren(...buttons);
  }

  function actionButton(label, onClick, extra = '') {
    return h('button', { type: 'button', class: `button ${extra}`.trim(), onclick: onClick }, label);
  }

  function renderLive() {
    if (!isPending(job)) {
      live.replaceChildren();
      return;
    }
    const position = progress?.queue_position;
    const logs = Array.isArray(progress?.logs) ? progress.logs.slice(-20) : [];
    live.replaceChildren(h('section', { class: 'detail-section progress-box', 'aria-labelledby': 'progress-title' },
      h('h2', { id: 'progress-title' }, 'Progress'),
      h('p', { role: 'status', class: 'queue-position' }, statusBadge(job.status), ' ',
        position === null || position === undefined
          ? (job.status === 'running' ? 'Running at fal.' : 'Waiting at fal.')
          : queueText(position)),
      logs.length ? h('ol', { class: 'logs', 'aria-label': 'Recent log lines' },
        logs.map((line) => h('li', {}, h('time', { datetime: line.at ?? '' }, shortTime(line.at)), ' ', String(line.message ?? ''))))
        : h('p', { class: 'muted small' }, progressUnavailable ? '' : 'No log lines yet.')));
  }

  async function cancel(event) {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      show(await api.cancelJob(job.id));
      showNotice('Job canceled.');
      deps.onJob(job);
      actions.querySelector('button')?.focus();
    } catch (error) {
      button.disabled = false;
      if (error.unauthorized) return deps.onUnauthorized();
      showNotice(`Could not cancel: ${describeApiError(error)}`, 'error');
      load();
    }
  }

  async function remove() {
    if (!(await deps.confirmDelete())) return;
    try {
      await api.deleteJob(job.id);
      deps.onDeleted(job.id);
    } catch (error) {
      if (error.unauthorized) return deps.onUnauthorized();
      showNotice(`Could not delete: ${describeApiError(error)}`, 'error');
    }
  }

  function showGone(text) {
    job = null;
    title.textContent = 'Job not found';
    actions.replaceChildren();
    live.replaceChildren();
    clear(body).append(h('p', {}, text, ' ', h('a', { href: routes.list() }, 'Back to all jobs')));
  }

  function showNotice(text, kind = 'info') {
    notice.hidden = !text;
    notice.textContent = text;
    notice.className = `notice notice--${kind}`;
  }

  return {
    /** Shows job `jobId`; `known` (e.g. the job just created) is shown at once while it loads. */
    open(jobId, known) {
      if (id !== jobId) {
        job = null;
        renderedAt = null;
        progress = null;
        progressUnavailable = false;
        clearTimeout(progressTimer);
        progressTimer = null;
        progressRequest?.abort();
        progressRequest = null;
        gone = false;
        clear(body).append(h('p', { class: 'muted' }, 'Loading…'));
        actions.replaceChildren();
        live.replaceChildren();
        showNotice('');
      }
      id = jobId;
      if (known?.id === jobId) show(known);
      title.focus({ preventScroll: true });
      load();
    },
    close() {
      id = null;
      clearTimeout(timer);
      clearTimeout(progressTimer);
      request?.abort();
      progressRequest?.abort();
    },
    onVisible() {
      if (id && !timer && !request) load();
    },
    tick(now) {
      updateLiveDurations(root, now);
    },
  };
}

function sameFiles(a, b) {
  const key = (j) => (j.files ?? []).map((f) => f.field).join(',') + '|' + (j.input_files ?? []).length;
  return key(a) === key(b);
}

function linksExpiring(job) {
  return [...(job.files ?? []), ...(job.input_files ?? [])].some((f) => isExpired(f, URL_EXPIRY_MARGIN_MS));
}

/** fal counts the jobs ahead: 0 is next. */
function queueText(position) {
  if (position === 0) return 'Next in fal’s queue.';
  return `${position} ${position === 1 ? 'job' : 'jobs'} ahead in fal’s queue.`;
}

function shortTime(iso) {
  const ms = toMillis(iso);
  return ms === null ? '' : new Date(ms).toLocaleTimeString();
}

function summary(job, model) {
  const row = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  const duration = formatDuration(jobDuration(job));
  return h('dl', { class: 'summary' },
    row('Status', statusBadge(job.status)),
    row('Model', h('code', { class: 'model-id' }, modelIdParts(job.model)), model?.category ? h('span', { class: 'muted small' }, ` · ${model.category}`) : ''),
    row('Job id', h('code', { class: 'job-id-full' }, job.id)),
    row('Created', timeText(job.created_at)),
    row('Completed', timeText(job.completed_at)),
    row(isPending(job) ? 'Waiting' : 'Took', isPending(job) ? h('span', { dataset: { since: job.created_at } }, duration) : duration));
}

function timeText(iso) {
  return iso ? h('time', { datetime: iso }, formatLocalTime(iso)) : h('span', { class: 'muted' }, '—');
}

function errorBox(error) {
  const { headline, problems, raw } = explainJobError(error);
  return h('section', { class: 'detail-section detail-error', 'aria-labelledby': 'error-title' },
    h('h2', { id: 'error-title' }, 'Why it failed'),
    h('p', {}, headline),
    problems.length ? h('ul', {}, problems.map((p) => h('li', {}, h('code', {}, p.field), ': ', p.message))) : '',
    h('details', {}, h('summary', {}, 'Details'),
      h('p', {}, 'Code ', h('code', {}, error.code ?? 'error')),
      raw ? h('p', { class: 'raw-error' }, raw) : ''));
}

function timeline(job) {
  const events = job.events ?? [];
  if (!events.length) return '';
  const start = toMillis(job.created_at);
  return h('details', { class: 'detail-section json' }, h('summary', {}, h('h2', {}, 'Events')),
    h('ol', { class: 'timeline' }, events.map((event) => {
      const at = toMillis(event.at);
      const offset = start !== null && at !== null ? `+${formatDuration(at - start)}` : '';
      return h('li', {}, statusBadge(event.status), ' ', timeText(event.at),
        h('span', { class: 'muted small' }, [' ', offset, event.source ? ` · ${event.source}` : ''].join('')));
    })));
}

function jsonBlock(title, value, open) {
  const empty = value === null || value === undefined;
  return h('details', { class: 'detail-section json', open: open && !empty },
    h('summary', {}, h('h2', {}, title), empty ? h('span', { class: 'muted small' }, ' (none)') : ''),
    h('pre', { tabindex: '0' }, h('code', {}, prettyJson(value ?? null))));
}
