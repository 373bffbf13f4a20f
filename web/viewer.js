// The 3D viewer: @google/model-viewer from falgate's own /ui/vendor/, imported on first use.
// Its decoders are pointed at the same folder before the import (it reads them once, at load),
// so a compressed model never makes it fetch from gstatic.com.

import { h } from './dom.js';

const VENDOR = '/ui/vendor/';
let loading = null;

function loadModelViewer() {
  if (!loading) {
    self.ModelViewerElement = {
      ...(self.ModelViewerElement ?? {}),
      dracoDecoderLocation: VENDOR,
      ktx2TranscoderLocation: VENDOR,
    };
    loading = import(`${VENDOR}model-viewer.min.js`).catch((error) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

/** Posters can be switched off for screenshots: ?poster=off or <html data-poster="off">. */
function postersOff() {
  return new URLSearchParams(location.search).get('poster') === 'off' || document.documentElement.dataset.poster === 'off';
}

/**
 * A slot that becomes an interactive viewer of `href` once the library has loaded; `posterUrl`
 * (e.g. the model's rendered image) shows until the model is ready, unless posters are off.
 */
export function modelViewerSlot(href, name, posterUrl = null) {
  const status = h('p', { class: 'muted small viewer-status', role: 'status' }, 'Loading the 3D viewer…');
  const slot = h('div', { class: 'viewer-slot' }, status);
  loadModelViewer().then(() => {
    const viewer = h('model-viewer', {
      src: href,
      // model-viewer names its inner canvas and poster after alt; the element itself is the
      // group "3D view of <file>", a unique name for users' automation and tests
      alt: `3D model from ${name}`,
      role: 'group',
      'aria-label': `3D view of ${name}`,
      'camera-controls': true,
      // no spinning for people who asked their system for less motion
      'auto-rotate': !matchMedia('(prefers-reduced-motion: reduce)').matches,
      'touch-action': 'pan-y',
      'interaction-prompt': 'none',
      'shadow-intensity': '1',
      loading: 'eager',
      poster: postersOff() ? null : posterUrl,
      class: 'viewer',
      dataset: { poster: postersOff() ? 'off' : 'on' },
    });
    viewer.addEventListener('load', () => { status.textContent = ''; status.hidden = true; });
    viewer.addEventListener('error', () => {
      status.hidden = false;
      status.textContent = 'This model could not be shown; download it below.';
    });
    status.textContent = 'Loading the model…';
    slot.prepend(viewer);
  }, () => {
    status.textContent = 'The 3D viewer could not be loaded; download the model below.';
  });
  return slot;
}
