// falgate's API and the fal emulator's controls, straight over HTTP: what the page did, checked
// from outside the page.
import { env } from './env.mjs';

async function call(method, path, body) {
  const response = await fetch(new URL(path, env.url), {
    method,
    headers: { authorization: `Bearer ${env.key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** Every job of the key's tenant for one model, newest first (all pages). */
export async function jobsOf(model) {
  const jobs = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '100', model, ...(cursor ? { cursor } : {}) });
    const { status, json } = await call('GET', `/v1/jobs?${query}`);
    if (status !== 200) throw new Error(`GET /v1/jobs: ${status} ${JSON.stringify(json)}`);
    jobs.push(...json.jobs);
    cursor = json.next_cursor;
  } while (cursor);
  return jobs;
}

export async function job(id) {
  return call('GET', `/v1/jobs/${encodeURIComponent(id)}`);
}

/** The fal emulator's speed: slow while a job must stay pending long enough to cancel it. */
export async function setFalSpeed(speed) {
  const response = await fetch(new URL('/_emulator/config', env.falUrl), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ speed }),
  });
  if (!response.ok) throw new Error(`emulator config: ${response.status}`);
}

/** Polls until check() returns something truthy, or fails with what it saw last. */
export async function eventually(what, check, timeoutMs = env.jobTimeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}
