// One form control per catalog input: its type decides the control, its constraints the
// bounds, its description the help. Every control is labelled by exactly the field's name.
// A field is { input, element, read(), fill(value), setError(text) }; read() → { value } when the
// user gave one, {} to leave it out (the server applies the default), { error } when unreadable.

import { h } from './dom.js';
import { createFileField } from './file-field.js';

const LONG_TEXT = /prompt|text|description/;

/**
 * @param {object} input the catalog's input
 * @param {{ idPrefix: string, api: object, onChange: () => void }} ctx
 */
export function createField(input, ctx) {
  const id = `${ctx.idPrefix}-${input.name}`;
  if (input.file) return createFileField(input, { ...ctx, id, shell: fieldShell });
  const control = valueControl(input, id);
  const field = fieldShell(input, id, control.element);
  return {
    input,
    element: field.element,
    read: control.read,
    fill: control.fill,
    setError: field.setError,
  };
}

/** The label, the control, the help (type, bounds, default, description) and an error slot. */
export function fieldShell(input, id, control, { labelFor = id } = {}) {
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const element = h('div', { class: `form-field form-field--${kindOf(input)}`, dataset: { field: input.name } },
    h('div', { class: 'field-head' },
      h('label', { for: labelFor, class: 'field-name' }, input.name),
      input.required ? h('span', { class: 'required-mark' }, 'required') : '',
      h('span', { class: 'field-type muted small' }, typeLabel(input))),
    control,
    h('p', { id: helpId, class: 'field-help muted small' }, helpText(input)),
    error);
  const target = element.querySelector(`#${CSS.escape(labelFor)}`) ?? control;
  target.setAttribute('aria-describedby', `${helpId} ${errorId}`);
  if (input.required) target.setAttribute('aria-required', 'true');
  return {
    element,
    setError(text) {
      error.hidden = !text;
      error.textContent = text ?? '';
      // an empty aria-invalid reads as false: say "true", or leave it out
      if (text) target.setAttribute('aria-invalid', 'true');
      else target.removeAttribute('aria-invalid');
      element.classList.toggle('form-field--invalid', Boolean(text));
    },
  };
}

function kindOf(input) {
  if (input.file) return 'file';
  if (input.enum) return 'enum';
  return input.type.replace(/[<>]/g, '-');
}

function typeLabel(input) {
  if (input.file) return input.file_kind === 'safetensors' ? 'LoRA file (.safetensors)' : `${input.type.startsWith('list') ? 'images' : 'image'}`;
  return input.enum ? 'choice' : input.type;
}

function helpText(input) {
  const parts = [];
  if (input.description) parts.push(input.description.trim().replace(/([^.!?])$/, '$1.'));
  const c = input.constraints ?? {};
  const bounds = [
    c.minimum !== undefined ? `min ${c.minimum}` : '',
    c.maximum !== undefined ? `max ${c.maximum}` : '',
    c.min_items !== undefined ? `at least ${c.min_items} item${c.min_items === 1 ? '' : 's'}` : '',
    c.max_items !== undefined ? `at most ${c.max_items} items` : '',
    c.max_side !== undefined ? `sides up to ${c.max_side} px` : '',
  ].filter(Boolean);
  if (bounds.length) parts.push(`Range: ${bounds.join(', ')}.`);
  if (input.default !== null && input.default !== undefined && !input.file) {
    parts.push(`Default: ${JSON.stringify(input.default)}.`);
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------- value controls

function valueControl(input, id) {
  if (input.enum) return enumControl(input, id);
  switch (input.type) {
    case 'boolean': return booleanControl(input, id);
    case 'integer':
    case 'float': return numberControl(input, id);
    case 'string': return textControl(input, id);
    default: return jsonControl(input, id); // lists and objects
  }
}

function enumControl(input, id) {
  const unset = input.required ? [] : [h('option', { value: '' }, input.default !== null ? `default (${input.default})` : '—')];
  const select = h('select', { id, name: input.name },
    unset, input.enum.map((value) => h('option', { value: String(value) }, String(value))));
  if (input.required && input.default !== null) select.value = String(input.default);
  return {
    element: select,
    read: () => (select.value === '' ? {} : { value: coerceEnum(input, select.value) }),
    fill: (value) => { select.value = value === undefined || value === null ? '' : String(value); },
  };
}

function coerceEnum(input, text) {
  const match = input.enum.find((value) => String(value) === text);
  return match === undefined ? text : match;
}

/** A checkbox shows the default; it is sent only when it differs from the default. */
function booleanControl(input, id) {
  const box = h('input', { id, name: input.name, type: 'checkbox' });
  const reset = () => { box.checked = input.default === true; };
  reset();
  return {
    element: h('div', { class: 'checkbox-line' }, box),
    read: () => (box.checked === (input.default === true) && !input.required ? {} : { value: box.checked }),
    fill: (value) => { if (value === undefined || value === null) reset(); else box.checked = Boolean(value); },
  };
}

function numberControl(input, id) {
  const c = input.constraints ?? {};
  const field = h('input', {
    id, name: input.name, type: 'number', inputmode: input.type === 'integer' ? 'numeric' : 'decimal',
    step: input.type === 'integer' ? '1' : 'any', min: c.minimum ?? null, max: c.maximum ?? null,
    placeholder: input.default ?? null,
  });
  return {
    element: field,
    read() {
      if (field.value.trim() === '') return field.validity.badInput ? { error: 'Enter a number.' } : {};
      const value = Number(field.value);
      if (!Number.isFinite(value)) return { error: 'Enter a number.' };
      if (input.type === 'integer' && !Number.isInteger(value)) return { error: 'Enter a whole number.' };
      if (c.minimum !== undefined && value < c.minimum) return { error: `Must be at least ${c.minimum}.` };
      if (c.maximum !== undefined && value > c.maximum) return { error: `Must be at most ${c.maximum}.` };
      return { value };
    },
    fill: (value) => { field.value = value === undefined || value === null ? '' : String(value); },
  };
}

function textControl(input, id) {
  const long = LONG_TEXT.test(input.name);
  const field = long
    ? h('textarea', { id, name: input.name, rows: 3 })
    : h('input', { id, name: input.name, type: 'text', autocomplete: 'off' });
  if (input.default) field.placeholder = String(input.default);
  return {
    element: field,
    read: () => (field.value === '' ? {} : { value: field.value }),
    fill: (value) => { field.value = value === undefined || value === null ? '' : String(value); },
  };
}

/** Lists and objects as JSON, e.g. [1, 2, 3] or [{"r": 255, "g": 0, "b": 0}]. */
function jsonControl(input, id) {
  const field = h('textarea', { id, name: input.name, rows: 2, spellcheck: 'false', class: 'mono',
    placeholder: input.type.startsWith('list') ? 'JSON list, e.g. [ … ]' : 'JSON' });
  return {
    element: field,
    read() {
      if (field.value.trim() === '') return {};
      try {
        const value = JSON.parse(field.value);
        if (input.type.startsWith('list') && !Array.isArray(value)) return { error: 'Enter a JSON list, e.g. [1, 2].' };
        return { value };
      } catch {
        return { error: 'This is not valid JSON.' };
      }
    },
    fill: (value) => { field.value = value === undefined || value === null ? '' : JSON.stringify(value); },
  };
}
