// The falgate API client: same origin, bearer key, the error envelope as ApiError.

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the request never got an answer)
   * @param {string} code the envelope's error.code, or "network" / "bad_response"
   * @param {string} message
   * @param {Array<{field: string, code: string, message: string}>} details
   */
  constructor(status, code, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get unauthorized() {
    return this.status === 401 || this.code === 'unauthorized';
  }

  /** Worth retrying later as-is: no answer, rate limiting, or a server-side failure. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export function isAbort(error) {
  return error?.name === 'AbortError';
}

/**
 * @param {{ getKey: () => string | null, baseUrl?: string }} options
 */
export function createApi({ getKey, baseUrl = location.origin }) {
  /** One JSON request; 204 → null; an error envelope → ApiError. */
  async function call(method, path, { query = {}, body, headers = {}, signal } = {}) {
    const response = await send(buildUrl(baseUrl, path, query), getKey(), { method, body, headers, signal });
    if (response.status === 204) return null;
    const json = await readJson(response);
    if (!response.ok) throw toApiError(response.status, json);
    if (json === undefined) throw new ApiError(response.status, 'bad_response', 'The server sent an unreadable answer.');
    return json;
  }
  const get = (path, options) => call('GET', path, options);
  const jobPath = (id, tail = '') => `/v1/jobs/${encodeURIComponent(id)}${tail}`;

  return {
    /** → { jobs: [...], next_cursor: string | null } */
    listJobs({ limit, cursor, status, model } = {}, signal) {
      return get('/v1/jobs', { query: { limit, cursor, status, model }, signal });
    },
    /** With `wait` (1-25 s): answers once the job has ended, or after that long with the job as it stands. */
    getJob(id, signal, wait) {
      return get(jobPath(id), { query: { wait }, signal });
    },
    /** → { queue_position, logs: [{at, message}], updated_at } */
    getProgress(id, signal) {
      return get(jobPath(id, '/progress'), { signal });
    },
    /** → { models: [...] } */
    listModels(signal) {
      return get('/v1/models', { signal });
    },
    /** The same key with the same body returns the same job: a double click makes one job. */
    createJob(body, idempotencyKey) {
      return call('POST', '/v1/jobs', { body, headers: { 'Idempotency-Key': idempotencyKey } });
    },
    /** → { upload_id, url, method, headers, ref, ... } */
    createUpload(body, idempotencyKey) {
      return call('POST', '/v1/uploads', { body, headers: { 'Idempotency-Key': idempotencyKey } });
    },
    cancelJob(id) {
      return call('POST', jobPath(id, '/cancel'));
    },
    deleteJob(id) {
      return call('DELETE', jobPath(id));
    },
  };
}

function buildUrl(baseUrl, path, query) {
  const url = new URL(path, baseUrl);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  return url;
}

async function send(url, key, { method, body, headers: extra, signal }) {
  const headers = { Accept: 'application/json', ...extra };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'network', 'Could not reach the server. Check your connection.');
  }
}

async function readJson(response) {
  try {
    return await response.json();
  } catch (error) {
    if (isAbort(error)) throw error;
    return undefined;
  }
}

function toApiError(status, body) {
  const envelope = body?.error;
  if (envelope && typeof envelope.code === 'string') {
    const details = Array.isArray(envelope.details) ? envelope.details : [];
    return new ApiError(status, envelope.code, String(envelope.message ?? envelope.code), details);
  }
  return new ApiError(status, status === 401 ? 'unauthorized' : 'http_error', `The server answered ${status}.`);
}
