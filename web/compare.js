// A before/after comparison: the output over the input, revealed up to a range input's value.
// The position goes through a CSS custom property set by CSSOM, which the CSP allows.

import { h } from './dom.js';

export function compareView(before, after, label) {
  const range = h('input', { type: 'range', min: 0, max: 100, value: 50, class: 'compare-range',
    'aria-label': `Before and after: share of ${label} shown` });
  const frame = h('div', { class: 'compare-frame' },
    h('img', { class: 'compare-before', src: before.src, alt: `Before: ${before.alt}`, decoding: 'async',
      referrerpolicy: 'no-referrer' }),
    h('img', { class: 'compare-after', src: after.src, alt: `After: ${after.alt}`, decoding: 'async',
      referrerpolicy: 'no-referrer' }));
  const update = () => frame.style.setProperty('--compare-at', `${range.value}%`);
  range.addEventListener('input', update);
  update();
  return h('figure', { class: 'compare' }, frame, range,
    h('figcaption', { class: 'muted small' }, 'Before (left) and after (right); move the slider to compare.'));
}
