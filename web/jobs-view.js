// Rendering of the job list. Job data is user-controlled: it only ever reaches the page as
// text nodes, attribute values, or vetted http(s) URLs.

import { clear, h } from './dom.js';
import {
  fileTypeLabel, formatAgo, formatBytes, formatDuration, formatLocalTime, is3dFile, isExpired,
  isImageFile, isPending, jobDuration, safeUrl, toMillis,
} from './format.js';
import { routes } from './router.js';

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

/**
 * The server's small thumbnail_url; a server that predates it (no such key) gets the file
 * itself; an explicit null (no thumbnail could be made) gets the type chip, never the full file.
 */
function thumbnail(job, file, previousThumbs) {
  const key = `${job.id}|${file.field}`;
  const previous = previousThumbs.get(key);
  if (previous && canReuseThumb(previous)) return previous;
  const src = safeUrl('thumbnail_url' in file ? file.thumbnail_url : file.url);
  if (!src) return fileChip(file);
  const img = h('img', {
    class: 'thumb',
    src,
    alt: `Output ${file.field ?? ''}`.trim(),
    width: THUMB_SIZE,
    height: THUMB_SIZE,
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
    h('a', { class: 'row-open', href: routes.job(job.id), dataset: { jobId: job.id } }, title),
    h('span', { class: 'muted small model-id' }, modelIdParts(job.model)),
    h('span', { class: 'job-id muted' }, job.id),
  ];
}

/** "fal-ai/era-3d" as unbreakable segments that wrap only after a "/", never inside a word. */
export function modelIdParts(id) {
  const segments = String(id ?? '').split(/(?<=\/)/);
  return segments.map((segment) => h('span', { class: 'nowrap' }, segment));
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
