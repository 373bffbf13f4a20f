// Browser-side checks of picked files, then POST /v1/uploads and the presigned PUT through
// XMLHttpRequest (fetch has no upload progress). Returns the upload:// ref for the job input.

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024; // the server's limit for any upload
// Headers a page may not set on XHR; the browser sends them itself.
const FORBIDDEN_HEADERS = new Set(['content-length', 'host', 'connection', 'expect']);

/** What an <input type=file accept> should offer for a catalog file kind. */
export function acceptFor(fileKind) {
  return fileKind === 'safetensors' ? '.safetensors' : IMAGE_TYPES.join(',');
}

/** The content type to declare, or an error message saying why the file is refused. */
export function checkFile(file, input) {
  const maxBytes = Math.min(input.constraints?.max_bytes ?? MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES);
  if (file.size === 0) return { error: `${file.name} is empty.` };
  if (file.size > maxBytes) return { error: `${file.name} is ${mb(file.size)}; ${input.name} takes at most ${mb(maxBytes)}.` };
  if (input.file_kind === 'safetensors') {
    return /\.safetensors$/i.test(file.name)
      ? { contentType: 'application/octet-stream' }
      : { error: `${file.name} is not a .safetensors file (a LoRA's weights).` };
  }
  if (!IMAGE_TYPES.includes(file.type)) {
    return { error: `${file.name} is ${file.type || 'of an unknown type'}; use a PNG, JPEG, WebP or GIF image.` };
  }
  return { contentType: file.type };
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/**
 * @param {ReturnType<import('./api.js').createApi>} api
 * @param {(fraction: number) => void} onProgress 0…1 as the bytes go out
 * @returns {Promise<string>} the upload:// ref
 */
export async function uploadFile(api, file, contentType, onProgress, signal) {
  const upload = await api.createUpload(
    { content_type: contentType, size: file.size, file_name: file.name }, crypto.randomUUID());
  await put(upload, file, contentType, onProgress, signal);
  return upload.ref;
}

function put(upload, file, contentType, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method ?? 'PUT', upload.url);
    const headers = { 'content-type': contentType, ...lowerKeys(upload.headers ?? {}) };
    for (const [name, value] of Object.entries(headers)) {
      if (!FORBIDDEN_HEADERS.has(name)) xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new Error(`The storage refused the file (HTTP ${xhr.status}).`));
      }
    });
    xhr.addEventListener('error', () => reject(new Error('The upload did not reach the storage. Check your connection.')));
    xhr.addEventListener('abort', () => reject(new DOMException('Upload aborted', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

function lowerKeys(object) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
