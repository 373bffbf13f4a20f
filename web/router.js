// Hash routes, so every view has an address that survives a reload and needs no server route:
// #/ (the list), #/new (the form; ?model= and ?from=<job id> for "Run again"), #/jobs/<id>.

/** @returns {{ view: 'list' } | { view: 'new', model: string, from: string } | { view: 'job', id: string }} */
export function parseRoute(hash = location.hash) {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  const job = /^\/jobs\/([^/]+)$/.exec(path);
  if (job) return { view: 'job', id: decodeURIComponent(job[1]) };
  if (path === '/new') return { view: 'new', model: params.get('model') ?? '', from: params.get('from') ?? '' };
  return { view: 'list' };
}

export const routes = {
  list: () => '#/',
  job: (id) => `#/jobs/${encodeURIComponent(id)}`,
  newJob: ({ model = '', from = '' } = {}) => {
    const params = new URLSearchParams();
    if (model) params.set('model', model);
    if (from) params.set('from', from);
    const query = params.toString();
    return query ? `#/new?${query}` : '#/new';
  },
};

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
