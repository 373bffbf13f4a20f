// The model picker: a search box narrowing a <select> labelled "Model", one optgroup per
// category. A native select keeps keyboard and screen-reader use as the platform makes it.

import { h } from './dom.js';

/**
 * @param {{ idPrefix: string, onPick: (model: object | null) => void }} options
 */
export function createModelPicker({ idPrefix, onPick }) {
  const searchId = `${idPrefix}-search`;
  const selectId = `${idPrefix}-model`;
  const countId = `${idPrefix}-count`;
  const search = h('input', { id: searchId, type: 'search', autocomplete: 'off', 'aria-describedby': countId,
    placeholder: 'e.g. 3d, trellis, sharpen' });
  const select = h('select', { id: selectId, name: 'model', required: true });
  const count = h('p', { id: countId, class: 'muted small', 'aria-live': 'polite' });
  let models = [];

  const element = h('div', { class: 'model-picker' },
    h('div', { class: 'field' }, h('label', { for: searchId }, 'Search the catalog'), search),
    h('div', { class: 'field' }, h('label', { for: selectId }, 'Model'), select),
    count);

  function render() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const current = select.value;
    const shown = models.filter((m) => matches(m, words) || m.id === current);
    const groups = new Map();
    for (const model of shown) {
      const category = model.category ?? 'other';
      if (!groups.has(category)) groups.set(category, []);
      groups.get(category).push(model);
    }
    select.replaceChildren(h('option', { value: '' }, 'Choose a model…'),
      ...[...groups].map(([category, list]) => h('optgroup', { label: category },
        list.map((m) => h('option', { value: m.id }, `${m.title ?? m.id} — ${m.id}`)))));
    select.value = current;
    const found = shown.filter((m) => matches(m, words)).length;
    count.textContent = words.length ? `${found} of ${models.length} models match.` : `${models.length} models.`;
  }

  search.addEventListener('input', render);
  search.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter') {
      event.preventDefault();
      select.focus();
    }
  });
  select.addEventListener('change', () => onPick(models.find((m) => m.id === select.value) ?? null));

  return {
    element,
    select,
    setModels(list) {
      models = list;
      render();
    },
    /** Selects a model without a change event; returns it, or null when unknown. */
    pick(id) {
      const model = models.find((m) => m.id === id) ?? null;
      if (model && ![...select.options].some((o) => o.value === id)) {
        search.value = '';
        render();
      }
      select.value = model ? id : '';
      return model;
    },
  };
}

function matches(model, words) {
  const text = `${model.id} ${model.title ?? ''} ${model.category ?? ''} ${model.description ?? ''}`.toLowerCase();
  return words.every((w) => text.includes(w));
}
