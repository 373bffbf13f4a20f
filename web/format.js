// Pure formatting helpers: no DOM, no network.

export const PENDING_STATUSES = new Set(['queued', 'running']);

const FILE_LABELS = {
  'model/gltf-binary': 'GLB',
  'model/gltf+json': 'glTF',
  'model/obj': 'OBJ',
  'model/stl': 'STL',
  'model/vnd.usdz+zip': 'USDZ',
  'application/zip': 'ZIP',
};

const THREE_D_EXTENSIONS = new Set(['glb', 'gltf', 'obj', 'stl', 'fbx', 'usdz']);

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function isPending(job) {
  return PENDING_STATUSES.has(job.status);
}

export function toMillis(iso) {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

export function formatLocalTime(iso) {
  const ms = toMillis(iso);
  return ms === null ? '—' : timeFormat.format(ms);
}

/** "12 s", "3 min", "2 h", "5 days", signed for the past, e.g. "3 min ago". */
export function formatAgo(iso, now = Date.now()) {
  const ms = toMillis(iso);
  if (ms === null) return '';
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relativeFormat.format(seconds, 'second');
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
  return relativeFormat.format(Math.round(seconds / 86400), 'day');
}

/** A compact duration: "850 ms", "12.3 s", "4 m 05 s", "1 h 02 m". */
export function formatDuration(ms) {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} m`;
  return `${minutes} m ${String(seconds).padStart(2, '0')} s`;
}

/** How long the job took, or has been waiting so far when it is still pending. */
export function jobDuration(job, now = Date.now()) {
  const start = toMillis(job.created_at);
  if (start === null) return null;
  const end = isPending(job) ? now : toMillis(job.completed_at) ?? toMillis(job.updated_at);
  return end === null ? null : end - start;
}

export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 100 ? 1 : 0)} ${units[unit]}`;
}

export function isImageFile(file) {
  return typeof file?.content_type === 'string' && file.content_type.startsWith('image/');
}

function urlExtension(url) {
  try {
    const path = new URL(url).pathname;
    const dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') ? path.slice(dot + 1).toLowerCase() : '';
  } catch {
    return '';
  }
}

export function is3dFile(file) {
  const type = file?.content_type ?? '';
  return type.startsWith('model/') || THREE_D_EXTENSIONS.has(urlExtension(file?.url));
}

/** A short label for a file's type: "GLB", "PNG", "ZIP"... */
export function fileTypeLabel(file) {
  const type = file?.content_type ?? '';
  if (FILE_LABELS[type]) return FILE_LABELS[type];
  const ext = urlExtension(file?.url);
  if (ext) return ext.toUpperCase();
  const subtype = type.split('/')[1];
  return subtype ? subtype.toUpperCase() : 'FILE';
}

/** "GLB · 12.3 MB" */
export function fileChipText(file) {
  const size = formatBytes(file?.size);
  return size ? `${fileTypeLabel(file)} · ${size}` : fileTypeLabel(file);
}

/** Only http(s) URLs ever reach an href or src. */
export function safeUrl(url) {
  if (typeof url !== 'string' || !url) return null;
  try {
    const parsed = new URL(url, location.origin);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function isExpired(file, marginMs = 0, now = Date.now()) {
  const expires = toMillis(file?.expires_at);
  return expires !== null && expires - marginMs <= now;
}

export function prettyJson(value) {
  return value === undefined ? 'null' : JSON.stringify(value, null, 2);
}
