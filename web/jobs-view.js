// Rendering of the job list and the job detail. Job data is user-controlled: it only
// ever reaches the page as text nodes, attribute values, or vetted http(s) URLs.

import { clear, h } from './dom.js';
import {
  fileChipText, fileTypeLabel, formatAgo, formatBytes, formatDuration, formatLocalTime, is3dFile, isExpired,
  isImageFile, isPending, jobDuration, prettyJson, safeUrl, toMillis,
} from './format.js';

const THUMB_SIZE = 64;

// ---------------------------------------------------------------- shared pieces

export function statusBadge(status) {
  const known = ['queued', 'running', 'succeeded', 'failed', 'canceled'].includes(status);
  return h('span', { class: `badge badge--${known ? status : 'unknown'}` }, status ?? 'unknown');
}

function timeElement(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: iso, title: iso }, formatLocalTime(iso));
}

/** A duration that keeps counting while the job is pending (see updateLiveDurations). */
function durationText(job, now) {
  const text = formatDuration(jobDuration(job, now));
  if (!isPending(job)) return h('span', { class: 'duration' }, text);
  return h('span', { class: 'duration', dataset: { since: job.created_at, prefix: `${job.status} · ` } },
    `${job.status} · ${text}`);
}

export function updateLiveDurations(root, now = Date.now()) {
  for (const el of root.querySelectorAll('[data-since]')) {
    const start = toMillis(el.dataset.since);
    if (start !== null) el.textContent = `${el.dataset.prefix ?? ''}${formatDuration(now - start)}`;
  }
  for (const el of root.querySelectorAll('[data-ago]')) {
    el.textContent = formatAgo(el.dataset.ago, now);
  }
}

export function firstImageFile(job) {
  return (job.files ?? []).find(isImageFile) ?? null;
}

function first3dFile(job) {
  return (job.files ?? []).find(is3dFile) ?? null;
}

/** "GLB · 12.3 MB"; parts are spans so narrow layouts can stack them into a tile. */
function fileChip(file) {
  const size = formatBytes(file.size);
  return h('span', { class: 'chip', title: file.field ?? '' },
    h('span', { class: 'chip-type' }, fileTypeLabel(file)),
    size ? [h('span', { class: 'chip-sep' }, ' · '), h('span', { class: 'chip-size' }, size)] : '');
}

// ---------------------------------------------------------------- the list

/**
 * Replaces the rows of `tbody` with `jobs`. Thumbnails already shown for the same job and
 * file are kept (file URLs are re-signed on every read, so new URLs would reload them).
 * @param {{ modelTitle: (id: string) => string, selectedId?: string }} ctx
 */
export function renderJobRows(tbody, jobs, ctx, now = Date.now()) {
  const previousThumbs = collectThumbs(tbody);
  const rows = jobs.map((job) => jobRow(job, ctx, previousThumbs, now));
  tbody.replaceChildren(...rows);
}

function collectThumbs(tbody) {
  const thumbs = new Map();
  for (const img of tbody.querySelectorAll('img[data-thumb-key]')) thumbs.set(img.dataset.thumbKey, img);
  return thumbs;
}

function jobRow(job, ctx, previousThumbs, now) {
  return h('tr', { class: `job-row job-row--${job.status}`, dataset: { jobId: job.id } },
    h('td', { class: 'cell-thumb' }, thumbContent(job, previousThumbs)),
    h('td', { class: 'cell-model' }, modelContent(job, ctx)),
    h('td', { class: 'cell-status' }, statusContent(job)),
    h('td', { class: 'cell-created' }, createdContent(job, now)),
    h('td', { class: 'cell-duration' }, durationText(job, now)));
}

function thumbContent(job, previousThumbs) {
  const image = firstImageFile(job);
  if (image) return thumbnail(job, image, previousThumbs);
  const model = first3dFile(job);
  if (model) return fileChip(model);
  if (job.files?.length) return fileChip(job.files[0]);
  return h('span', { class: `thumb-placeholder thumb-placeholder--${job.status}`, 'aria-hidden': 'true' });
}

function thumbnail(job, file, previousThumbs) {
  const key = `${job.id}|${file.field}`;
  const previous = previousThumbs.get(key);
  if (previous && canReuseThumb(previous)) return previous;
  const src = safeUrl(file.url);
  if (!src) return fileChip(file);
  const img = h('img', {
    class: 'thumb',
    src,
    alt: `Output ${file.field ?? ''}`.trim(),
    width: file.width ?? THUMB_SIZE,
    height: file.height ?? THUMB_SIZE,
    loading: 'lazy',
    decoding: 'async',
    referrerpolicy: 'no-referrer',
    dataset: { thumbKey: key, expiresAt: file.expires_at ?? '' },
  });
  img.addEventListener('error', () => img.classList.add('thumb--broken'), { once: true });
  return img;
}

/** Loaded fine, or still loading from a URL that has not expired. */
function canReuseThumb(img) {
  if (img.classList.contains('thumb--broken')) return false;
  if (img.complete && img.naturalWidth > 0) return true;
  return !isExpired({ expires_at: img.dataset.expiresAt }, 30_000);
}

function modelContent(job, ctx) {
  const title = ctx.modelTitle(job.model);
  return [
    h('button', { type: 'button', class: 'row-open', dataset: { jobId: job.id }, 'aria-haspopup': 'dialog' }, title),
    h('span', { class: 'job-id muted' }, job.id),
  ];
}

function statusContent(job) {
  if (job.status !== 'failed' || !job.error) return statusBadge(job.status);
  return [
    statusBadge(job.status),
    h('code', { class: 'error-code', title: job.error.message ?? '' }, job.error.code ?? 'error'),
  ];
}

function createdContent(job, now) {
  return [
    timeElement(job.created_at),
    h('span', { class: 'ago muted', dataset: { ago: job.created_at ?? '' } }, formatAgo(job.created_at, now)),
  ];
}

// ---------------------------------------------------------------- model filter

/** Fills the model <select> with one optgroup per category, keeping the current choice. */
export function renderModelOptions(select, models) {
  const current = select.value;
  const byCategory = new Map();
  for (const model of models) {
    const category = model.category ?? 'other';
    if (!byCategory.has(category)) byCategory.set(category, []);
    byCategory.get(category).push(model);
  }
  const groups = [...byCategory].map(([category, list]) => h('optgroup', { label: category },
    list.map((m) => h('option', { value: m.id }, m.title ? `${m.title} (${m.id})` : m.id))));
  select.replaceChildren(h('option', { value: '' }, 'All models'), ...groups);
  select.value = models.some((m) => m.id === current) ? current : '';
}

// ---------------------------------------------------------------- the detail panel

/**
 * @param {{ modelTitle: (id: string) => string }} ctx
 */
export function renderDetail(container, job, ctx, now = Date.now()) {
  clear(container).append(
    detailSummary(job, ctx, now),
    job.error ? detailError(job.error) : '',
    detailFiles(job),
    detailTimeline(job),
    jsonSection('Input', job.input, true),
    jsonSection('Output', job.output, false),
    jsonSection('Metadata', job.metadata, false),
  );
}

function section(title, ...content) {
  return h('section', { class: 'detail-section' }, h('h3', {}, title), ...content);
}

function detailSummary(job, ctx, now) {
  const row = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  return h('dl', { class: 'summary' },
    row('Status', statusBadge(job.status)),
    row('Model', ctx.modelTitle(job.model), ' ', h('code', {}, job.model ?? '')),
    row('Job id', h('code', {}, job.id)),
    row('Created', timeElement(job.created_at)),
    row('Updated', timeElement(job.updated_at)),
    row('Completed', timeElement(job.completed_at)),
    row(isPending(job) ? 'Waiting' : 'Took', durationText(job, now)));
}

function detailError(error) {
  return h('section', { class: 'detail-section detail-error', role: 'note' },
    h('h3', {}, 'Error'),
    h('p', {}, h('code', {}, error.code ?? 'error')),
    h('p', {}, error.message ?? ''));
}

function detailFiles(job) {
  const files = job.files ?? [];
  if (!files.length) {
    return section('Files', h('p', { class: 'muted' }, isPending(job) ? 'No files yet.' : 'No files.'));
  }
  const expiry = files.map((f) => f.expires_at).find(Boolean);
  return section('Files',
    h('ul', { class: 'file-list' }, files.map(fileItem)),
    expiry ? h('p', { class: 'muted small' }, 'Links expire ', timeElement(expiry),
      ' — use “Reload” to get fresh ones.') : '');
}

function fileItem(file) {
  const href = safeUrl(file.url);
  const meta = [file.content_type, formatBytes(file.size), dimensions(file)].filter(Boolean).join(' · ');
  return h('li', { class: 'file-item' },
    h('div', { class: 'file-head' },
      h('code', { class: 'file-field' }, file.field ?? 'file'),
      h('span', { class: 'muted small' }, meta)),
    filePreview(file, href),
    href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', referrerpolicy: 'no-referrer' },
      `Open ${fileChipText(file)}`) : h('span', { class: 'muted' }, 'No link'));
}

function dimensions(file) {
  return file.width && file.height ? `${file.width}×${file.height}` : '';
}

function filePreview(file, href) {
  if (!href) return '';
  if (isImageFile(file)) {
    return h('img', {
      class: 'preview', src: href, alt: `Output ${file.field ?? ''}`.trim(), loading: 'lazy', decoding: 'async',
      width: file.width ?? null, height: file.height ?? null, referrerpolicy: 'no-referrer',
    });
  }
  if (is3dFile(file)) {
    const slot = h('div', { class: 'viewer-slot' });
    return mountModelViewer(slot, file, href) ? slot : '';
  }
  return '';
}

/**
 * HOOK for the 3D viewer (@google/model-viewer, vendored under /ui/ — no CDN).
 * Mount a viewer for `file` (its presigned URL is `href`) into `slot` and return true;
 * returning false leaves just the file link with type and size. Not implemented yet.
 */
export function mountModelViewer(slot, file, href) { // eslint-disable-line no-unused-vars
  return false;
}

function detailTimeline(job) {
  const events = job.events ?? [];
  if (!events.length) return section('Events', h('p', { class: 'muted' }, 'No events.'));
  const start = toMillis(job.created_at);
  return section('Events', h('ol', { class: 'timeline' }, events.map((event) => {
    const at = toMillis(event.at);
    const offset = start !== null && at !== null ? `+${formatDuration(at - start)}` : '';
    const meta = [offset, event.source].filter(Boolean).join(' · ');
    return h('li', {},
      statusBadge(event.status),
      ' ', timeElement(event.at),
      meta ? [' ', h('span', { class: 'event-meta muted small' }, meta)] : '');
  })));
}

function jsonSection(title, value, open) {
  const empty = value === null || value === undefined;
  return h('details', { class: 'detail-section json', open: open && !empty },
    h('summary', {}, h('h3', {}, title), empty ? h('span', { class: 'muted small' }, ' (none)') : ''),
    h('pre', { tabindex: '0' }, h('code', {}, prettyJson(value ?? null))));
}
