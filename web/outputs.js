// A job's files as things to look at: input images beside the outputs (a before/after slider
// for the editors), galleries for image lists, Era3D's views in a labelled grid with each normal
// map beside its view, GLBs in the 3D viewer, everything downloadable under its file name.

import { h } from './dom.js';
import { compareView } from './compare.js';
import { fieldParts, fileName, groupByField, isGlb } from './file-names.js';
import { fileChipText, isImageFile, isPending, safeUrl } from './format.js';
import { modelViewerSlot } from './viewer.js';

const ERA3D = 'fal-ai/era-3d';

/**
 * @param {object} job
 * @param {object | undefined} model the catalog entry
 */
export function renderFiles(job, model) {
  const outputs = (job.files ?? []).filter((f) => safeUrl(f.url));
  const inputs = (job.input_files ?? []).filter((f) => safeUrl(f.url));
  const compare = editorComparison(model, inputs, outputs);
  return h('div', { class: 'files-area' },
    inputs.length ? h('section', { class: 'detail-section inputs', 'aria-labelledby': 'inputs-title' },
      h('h2', { id: 'inputs-title' }, 'Input'), h('div', { class: 'gallery gallery--inputs' }, inputs.map(inputFigure))) : '',
    h('section', { class: 'detail-section outputs', 'aria-labelledby': 'outputs-title' },
      h('h2', { id: 'outputs-title' }, 'Output'),
      compare,
      outputs.length ? outputGroups(job, outputs) : h('p', { class: 'muted' }, isPending(job) ? 'No files yet.' : 'No files.')));
}

function inputFigure(file) {
  const name = fileName(file);
  return h('figure', { class: 'tile' },
    isImageFile(file) ? image(file, `Input ${file.field}`) : '',
    h('figcaption', {}, h('code', {}, file.field), ' ', h('span', { class: 'muted small' }, fileChipText(file))),
    downloadLinks(file, name));
}

/** Editors turn one image into another: show them over each other with a slider. */
function editorComparison(model, inputs, outputs) {
  if (model?.category !== 'image-editing') return '';
  const before = inputs.find(isImageFile);
  const after = outputs.find(isImageFile);
  if (!before || !after) return '';
  return compareView({ src: safeUrl(before.url), alt: before.field }, { src: safeUrl(after.url), alt: after.field }, after.field);
}

function outputGroups(job, files) {
  const groups = groupByField(files);
  if (job.model === ERA3D && groups.has('images') && groups.has('normal_images')) {
    return [era3dGrid(groups.get('images'), groups.get('normal_images')),
      ...[...groups].filter(([name]) => name !== 'images' && name !== 'normal_images').map(([name, list]) => group(name, list, files))];
  }
  return [...groups].map(([name, list]) => group(name, list, files));
}

function group(name, list, allFiles) {
  const heading = h('h3', {}, h('code', {}, name), list.length > 1 ? h('span', { class: 'muted small' }, ` · ${list.length} files`) : '');
  const poster = allFiles.find((f) => isImageFile(f) && /render/.test(f.field ?? ''));
  const items = list.map((file) => fileTile(file, poster));
  return h('div', { class: 'output-group' }, heading,
    list.length > 1 ? h('div', { class: 'gallery' }, items) : items);
}

function fileTile(file, poster) {
  const name = fileName(file);
  const href = safeUrl(file.url);
  let view = '';
  if (isImageFile(file)) view = h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'image-link',
    'aria-label': `Full size ${file.field}` }, image(file, `Output ${file.field}`));
  else if (isGlb(file)) view = modelViewerSlot(href, name, poster ? safeUrl(poster.url) : null);
  return h('figure', { class: `tile${isGlb(file) ? ' tile--3d' : ''}` },
    view,
    h('figcaption', {}, h('span', { class: 'muted small' }, [fileChipText(file), dimensions(file)].filter(Boolean).join(' · '))),
    downloadLinks(file, name));
}

/** Era3D: six views, each with its normal map. The seed page names no views: "view 1–6". */
function era3dGrid(images, normals) {
  const byIndex = (list) => new Map(list.map((f, i) => [fieldParts(f.field).index ?? i, f]));
  const views = byIndex(images);
  const maps = byIndex(normals);
  const indexes = [...new Set([...views.keys(), ...maps.keys()])].sort((a, b) => a - b);
  return h('div', { class: 'output-group' },
    h('h3', {}, 'Views and normal maps'),
    h('div', { class: 'view-grid' }, indexes.map((index) => {
      const label = `view ${index + 1}`;
      return h('div', { class: 'view-cell', role: 'group', 'aria-labelledby': `view-label-${index}` },
        h('h4', { class: 'view-label', id: `view-label-${index}` }, label),
        h('div', { class: 'view-pair' },
          pairHalf(views.get(index), `${label}`, 'image'),
          pairHalf(maps.get(index), `${label} normal map`, 'normal map')));
    })));
}

function pairHalf(file, alt, caption) {
  if (!file) return h('p', { class: 'muted small' }, `No ${caption}.`);
  const name = fileName(file);
  return h('figure', { class: 'pair-half' },
    image(file, alt),
    h('figcaption', { class: 'small' }, caption),
    downloadLinks(file, name));
}

function image(file, alt) {
  return h('img', {
    class: 'preview', src: safeUrl(file.url), alt, loading: 'lazy', decoding: 'async',
    width: file.width ?? null, height: file.height ?? null, referrerpolicy: 'no-referrer',
  });
}

function dimensions(file) {
  return file.width && file.height ? `${file.width}×${file.height}` : '';
}

/** A download saved under the file's name (the link's accessible name), and a copy-link button. */
function downloadLinks(file, name) {
  const href = safeUrl(file.url);
  const copy = h('button', { type: 'button', class: 'button button--quiet button--small', 'aria-label': `Copy link to ${name}` }, 'Copy link');
  copy.addEventListener('click', () => copyLink(href, copy));
  return h('p', { class: 'file-actions' },
    h('a', { href, download: name, class: 'download', referrerpolicy: 'no-referrer' }, name),
    copy);
}

async function copyLink(href, button) {
  try {
    await navigator.clipboard.writeText(href);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Copy failed';
  }
  setTimeout(() => { button.textContent = 'Copy link'; }, 2000);
}
