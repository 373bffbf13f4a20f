// The new-job form: pick a model, fill the fields generated from its catalog entry (or its
// example, or a previous job's input), Run. One Idempotency-Key per submission, so a double
// click or a retry after a lost answer makes one job; the server's field errors go to their fields.

import { h, clear } from './dom.js';
import { describeApiError } from './errors.js';
import { createField } from './form-fields.js';
import { createModelPicker } from './model-picker.js';
import { routes } from './router.js';

/**
 * @param {HTMLElement} root the view's container
 * @param {{ api: object, onCreated: (job: object) => void, onUnauthorized: () => void }} deps
 */
export function createNewJobForm(root, { api, onCreated, onUnauthorized }) {
  const picker = createModelPicker({
    idPrefix: 'new',
    onPick: (picked) => {
      showModel(picked);
      // the address names the model, so a reload keeps it (no hashchange: the view stays)
      history.replaceState(null, '', routes.newJob({ model: picked?.id ?? '' }));
    },
  });
  const about = h('div', { class: 'model-about' });
  const fieldsBox = h('div', { class: 'form-fields' });
  const summary = h('div', { class: 'notice notice--error form-summary', role: 'alert', tabindex: '-1', hidden: true });
  const status = h('p', { class: 'muted small', role: 'status' });
  const example = h('button', { type: 'button', class: 'button', disabled: true }, 'Use example');
  const run = h('button', { type: 'submit', class: 'button button--primary' }, 'Run');
  const form = h('form', { class: 'card new-job-form', novalidate: true, 'aria-labelledby': 'new-title' },
    picker.element, about, fieldsBox, summary,
    h('div', { class: 'form-actions' }, run, example, status));
  root.append(h('h1', { id: 'new-title' }, 'New job'), form);

  let model = null;
  let fields = [];
  let idempotencyKey = null; // one per submission; kept while it is in flight or for its retry
  let submitting = false;

  function showModel(next, values, previews) {
    model = next;
    idempotencyKey = null;
    showSummary([]);
    example.disabled = !model?.example_input;
    clear(about);
    clear(fieldsBox);
    fields = [];
    if (!model) return;
    about.append(h('p', {}, model.description ?? ''), rulesNote(model.rules ?? []));
    const offered = (model.inputs ?? []).filter((input) => !input.refused);
    const ordered = [...offered.filter((i) => i.required), ...offered.filter((i) => !i.required)];
    fields = ordered.map((input) => createField(input, { idPrefix: 'in', api, onChange: () => { idempotencyKey = null; } }));
    fieldsBox.append(...fields.map((f) => f.element));
    if (values) fill(values, previews);
  }

  function fill(values, previews) {
    for (const field of fields) {
      field.setError('');
      field.fill(values[field.input.name], previews);
    }
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (submitting) return; // a double click: the first submission is still in flight
    showSummary([]);
    if (!model) {
      showSummary(['Choose a model first.']);
      picker.select.focus();
      return;
    }
    const collected = collect();
    if (collected.problems.length) {
      showSummary(collected.problems, 'Check the marked fields; nothing was sent.');
      return;
    }
    submitting = true;
    run.setAttribute('aria-disabled', 'true');
    idempotencyKey ??= crypto.randomUUID();
    try {
      status.textContent = collected.pending.length ? 'Waiting for uploads…' : 'Sending…';
      const input = await resolveUploads(collected);
      status.textContent = 'Sending…';
      const job = await api.createJob({ model: model.id, input }, idempotencyKey);
      idempotencyKey = null;
      status.textContent = '';
      onCreated(job);
    } catch (error) {
      status.textContent = '';
      onSubmitFailed(error);
    } finally {
      submitting = false;
      run.removeAttribute('aria-disabled');
    }
  }

  /** Values by field name, problems found in the browser, and uploads still under way. */
  function collect() {
    const input = {};
    const problems = [];
    const pending = [];
    for (const field of fields) {
      field.setError('');
      const { value, error, pending: upload } = field.read();
      const name = field.input.name;
      if (error) problems.push({ field: name, message: error });
      else if (upload) pending.push(upload.then((v) => { input[name] = v; }));
      else if (value !== undefined) input[name] = value;
      else if (field.input.required && field.input.default === null) problems.push({ field: name, message: 'required' });
    }
    for (const p of problems) fieldNamed(p.field)?.setError(p.message);
    return { input, problems, pending };
  }

  async function resolveUploads({ input, pending }) {
    await Promise.all(pending);
    return input;
  }

  function onSubmitFailed(error) {
    if (error.unauthorized) {
      onUnauthorized();
      return;
    }
    if (!error.status) { // an upload failed, or no answer: the same key retries safely
      showSummary([error.message]);
      return;
    }
    if (!error.retryable) idempotencyKey = null; // the server refused this body: a corrected one is new
    const problems = (error.details ?? []).map((d) => ({ field: topField(d.field), path: d.field, message: d.message }));
    for (const problem of problems) fieldNamed(problem.field)?.setError(problem.message);
    const placed = problems.filter((p) => fieldNamed(p.field));
    const unplaced = problems.filter((p) => !fieldNamed(p.field)).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    showSummary([...(placed.length ? [] : [describeApiError({ ...error, details: [] })]), ...placed, ...unplaced],
      placed.length ? 'The server refused this input; see the marked fields.' : undefined);
  }

  function fieldNamed(name) {
    return fields.find((f) => f.input.name === name) ?? null;
  }

  /** Lines are text, or { field, message } pointing at a field: a button there moves focus to it. */
  function showSummary(lines, heading = 'This job was not sent.') {
    summary.hidden = !lines.length;
    summary.replaceChildren(
      lines.length ? h('p', {}, heading) : '',
      lines.length ? h('ul', {}, lines.map((line) => h('li', {}, typeof line === 'string' ? line : [
        h('button', { type: 'button', class: 'link-button', onclick: () => focusField(line.field) }, line.field),
        `: ${line.message}`]))) : '');
    if (lines.length) summary.focus();
  }

  function focusField(name) {
    const field = fieldNamed(name)?.element;
    field?.querySelector('input, select, textarea')?.focus();
    field?.scrollIntoView({ block: 'center' });
  }

  form.addEventListener('submit', onSubmit);
  form.addEventListener('input', () => { if (!submitting) idempotencyKey = null; });
  example.addEventListener('click', () => {
    if (model?.example_input) fill(model.example_input);
  });

  return {
    setModels: (models) => picker.setModels(models),
    /** Opens the form on a model (or none), optionally filled with a job's input (and its input files' previews). */
    open({ modelId = '', values, previews } = {}) {
      const next = modelId ? picker.pick(modelId) : (model && picker.pick(model.id));
      if (next !== model || values) showModel(next ?? null, values, previews);
      (model ? firstField() : picker.select)?.focus();
    },
  };

  function firstField() {
    return fieldsBox.querySelector('input, select, textarea');
  }
}

/** Field errors name "input.image_urls[0]" or "input.prompt": the form field is the first name. */
function topField(path) {
  return String(path ?? '').replace(/^input\.?/, '').split(/[.[]/)[0];
}

function rulesNote(rules) {
  if (!rules.length) return '';
  return h('div', { class: 'rules' },
    h('h2', { class: 'small-heading' }, 'Rules across fields'),
    h('ul', {}, rules.map((rule) => h('li', {}, rule.message))));
}
