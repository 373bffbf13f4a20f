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
  async function get(path, { query = {}, signal } = {}) {
    const response = await send(buildUrl(baseUrl, path, query), getKey(), signal);
    const body = await readJson(response);
    if (!response.ok) throw toApiError(response.status, body);
    if (body === undefined) throw new ApiError(response.status, 'bad_response', 'The server sent an unreadable answer.');
    return body;
  }

  return {
    /** → { jobs: [...], next_cursor: string | null } */
    listJobs({ limit, cursor, status, model } = {}, signal) {
      return get('/v1/jobs', { query: { limit, cursor, status, model }, signal });
    },
    getJob(id, signal) {
      return get(`/v1/jobs/${encodeURIComponent(id)}`, { signal });
    },
    /** → { models: [...] } */
    listModels(signal) {
      return get('/v1/models', { signal });
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

async function send(url, key, signal) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  try {
    return await fetch(url, {
      headers,
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
