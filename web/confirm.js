// A modal confirmation (<dialog>): focus moves into it, Escape or "cancel" answers false.

import { h } from './dom.js';

/** @returns {Promise<boolean>} */
export function confirmDialog({ title, text, confirm, cancel }) {
  const titleId = 'confirm-title';
  const yes = h('button', { type: 'submit', value: 'yes', class: 'button button--danger' }, confirm);
  const no = h('button', { type: 'submit', value: 'no', class: 'button' }, cancel);
  const dialog = h('dialog', { class: 'confirm card', 'aria-labelledby': titleId },
    h('form', { method: 'dialog' },
      h('h2', { id: titleId }, title),
      h('p', {}, text),
      h('div', { class: 'form-actions' }, no, yes)));
  const opener = document.activeElement;
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'yes');
      dialog.remove();
      if (opener?.isConnected) opener.focus();
    }, { once: true });
    dialog.showModal();
    no.focus();
  });
}
