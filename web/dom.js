// A tiny element builder. Text always goes in as text nodes, never as markup.

/**
 * h('a', { href, class: 'x', onclick: fn }, 'text', child, [more, children])
 * Props: `class`, `dataset` (object), `on<event>` (listener), booleans (true = present,
 * false/null/undefined = absent); everything else becomes an attribute.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    setProp(el, name, value);
  }
  append(el, children);
  return el;
}

function setProp(el, name, value) {
  if (value === null || value === undefined || value === false) return;
  if (name === 'class') {
    el.className = value;
  } else if (name === 'dataset') {
    Object.assign(el.dataset, value);
  } else if (name.startsWith('on') && typeof value === 'function') {
    el.addEventListener(name.slice(2), value);
  } else {
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}
