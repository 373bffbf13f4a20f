// A file input: pick or drop files (several for list fields), each checked, then uploaded at
// once with its own progress bar. Its value is the upload:// ref, or a URL/ref already given
// (the catalog's example, or "Run again"). Run waits for uploads still under way.

import { h } from './dom.js';
import { isAbort } from './api.js';
import { safeUrl } from './format.js';
import { acceptFor, checkFile, uploadFile } from './uploads.js';

export function createFileField(input, { id, api, shell, onChange }) {
  const multiple = input.type.startsWith('list');
  const picker = h('input', { id, name: input.name, type: 'file', accept: acceptFor(input.file_kind), multiple });
  const list = h('ul', { class: 'file-items', 'aria-live': 'polite' });
  const zone = h('div', { class: 'drop-zone' },
    picker,
    h('p', { class: 'muted small drop-hint', 'aria-hidden': 'true' }, multiple ? 'or drop files here' : 'or drop a file here'),
    list);
  const field = shell(input, id, zone);
  /** @type {Array<{ ref: string | null, done: Promise<void>, controller?: AbortController, element: HTMLElement }>} */
  let items = [];

  function setItems(next) {
    for (const item of items) if (!next.includes(item)) item.controller?.abort();
    items = next;
    list.replaceChildren(...items.map((item) => item.element));
    onChange?.();
  }

  function addFiles(files) {
    field.setError('');
    const added = [];
    const refused = [];
    for (const file of files) {
      const check = checkFile(file, input);
      if (check.error) refused.push(check.error);
      else added.push(uploadItem(file, check.contentType));
    }
    if (refused.length) field.setError(refused.join(' '));
    if (added.length) setItems(multiple ? [...items, ...added] : added.slice(0, 1));
  }

  function uploadItem(file, contentType) {
    const controller = new AbortController();
    const bar = h('progress', { max: 100, value: 0, 'aria-label': `Upload of ${file.name}` });
    const state = h('span', { class: 'muted small' }, 'uploading…');
    const item = { ref: null, controller, element: null, done: null };
    item.element = itemRow(file.name, [bar, state], () => setItems(items.filter((i) => i !== item)), previewOf(file));
    item.done = uploadFile(api, file, contentType, (fraction) => {
      bar.value = Math.round(fraction * 100);
    }, controller.signal).then((ref) => {
      item.ref = ref;
      state.textContent = 'uploaded';
    }, (error) => {
      if (isAbort(error)) return;
      state.textContent = '';
      item.failed = true;
      field.setError(`${file.name}: ${error.message}`);
      throw error;
    });
    item.done.catch(() => {}); // reported at the field; Run reports it again
    return item;
  }

  function valueItem(value, previewUrl) {
    const item = { ref: value, done: Promise.resolve(), element: null };
    const preview = previewUrl ? h('img', { class: 'file-item-preview', src: previewUrl, alt: '', width: 40, height: 40,
      referrerpolicy: 'no-referrer' }) : null;
    item.element = itemRow(shortRef(value), [], () => setItems(items.filter((i) => i !== item)), preview);
    return item;
  }

  picker.addEventListener('change', () => {
    addFiles([...picker.files]);
    picker.value = '';
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('drop-zone--over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('drop-zone--over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('drop-zone--over');
    addFiles([...(event.dataTransfer?.files ?? [])]);
  });

  return {
    input,
    element: field.element,
    setError: field.setError,
    read() {
      if (items.some((i) => i.failed)) return { error: 'An upload failed; remove it and pick the file again.' };
      if (!items.length) return {};
      return { pending: Promise.all(items.map((i) => i.done)).then(() => refsValue()) };
    },
    /** @param {Map<string, string>} [previews] image URLs by field path, e.g. a job's input_files */
    fill(value, previews = new Map()) {
      const values = value === undefined || value === null ? [] : [value].flat().map(String);
      setItems(values.map((v, i) => valueItem(v, safeUrl(previews.get(multiple ? `${input.name}[${i}]` : input.name)))));
    },
    uploading: () => items.some((i) => i.ref === null && !i.failed),
  };

  function refsValue() {
    const refs = items.map((i) => i.ref);
    return multiple ? refs : refs[0];
  }
}

function itemRow(name, status, onRemove, preview) {
  return h('li', { class: 'file-item-row' },
    preview,
    h('span', { class: 'file-item-name' }, name),
    ...status,
    h('button', { type: 'button', class: 'button button--quiet button--small', 'aria-label': `Remove ${name}`, onclick: onRemove }, 'Remove'));
}

function previewOf(file) {
  if (!file.type.startsWith('image/')) return null;
  const url = URL.createObjectURL(file);
  const img = h('img', { class: 'file-item-preview', src: url, alt: '', width: 40, height: 40 });
  img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
  return img;
}

function shortRef(value) {
  if (value.startsWith('data:')) return 'inline data';
  return value.length > 64 ? `${value.slice(0, 40)}…${value.slice(-20)}` : value;
}
