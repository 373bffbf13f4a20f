// Names and groups of a job's files: the server's file_name when it sends one, else the field
// plus the stored extension (images_0.png, model_mesh.glb), as the README's curl loop saves them.

export function fileName(file) {
  if (typeof file?.file_name === 'string' && file.file_name) return file.file_name;
  const base = String(file?.field ?? 'file').replace(/\[(\d+)\]/g, '_$1').replace(/[^\w.-]+/g, '_');
  const ext = extensionOf(file?.url);
  return ext ? `${base}.${ext}` : base;
}

export function extensionOf(url) {
  try {
    const path = new URL(url, location.origin).pathname;
    const dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') ? path.slice(dot + 1).toLowerCase() : '';
  } catch {
    return '';
  }
}

/** "images[3]" → { name: "images", index: 3 }; "model_mesh" → { name: "model_mesh", index: null } */
export function fieldParts(field) {
  const match = /^([^[]+)(?:\[(\d+)\])?/.exec(String(field ?? ''));
  return { name: match?.[1] ?? '', index: match?.[2] === undefined ? null : Number(match[2]) };
}

/** Files grouped by their top-level field, in the order they came. */
export function groupByField(files) {
  const groups = new Map();
  for (const file of files) {
    const { name } = fieldParts(file.field);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(file);
  }
  return groups;
}

export function isGlb(file) {
  return file?.content_type === 'model/gltf-binary' || extensionOf(file?.url) === 'glb';
}
