// web/vendor/ is what the vendoring script makes from web/vendor-src's lock file, byte for byte:
// the script runs on a copy of web/vendor-src (after `npm ci` there) into an empty folder, and
// the two trees are compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const REPO = process.env.REPO_ROOT ?? new URL('../../../../', import.meta.url).pathname;
const SOURCE = join(REPO, 'web/vendor-src');
const COMMITTED = join(REPO, 'web/vendor');

/** The script: package.json's "vendor" script, else the one vendor.* file in web/vendor-src. */
function vendoringCommand(dir, out) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.scripts?.vendor) return ['npm', ['run', '--silent', 'vendor', '--', out]];
  const [script] = readdirSync(dir).filter((f) => /^vendor\.(mjs|js|cjs|sh)$/.test(f));
  assert.ok(script, `web/vendor-src has no "vendor" npm script and no vendor.mjs/.js/.sh`);
  return script.endsWith('.sh') ? ['bash', [script, out]] : ['node', [script, out]];
}

function files(root) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

test('web/vendor matches what the vendoring script makes from the lock file', {
  skip: existsSync(SOURCE) ? false : 'web/vendor-src does not exist yet',
}, () => {
  const work = mkdtempSync(join(tmpdir(), 'falgate-vendor-'));
  try {
    const source = join(work, 'src');
    const out = join(work, 'out');
    cpSync(SOURCE, source, { recursive: true, filter: (p) => !p.includes('node_modules') });
    const quiet = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', VENDOR_OUT: out };
    execFileSync('npm', ['ci', '--ignore-scripts'], { cwd: source, env: quiet, stdio: 'inherit' });
    const [command, args] = vendoringCommand(source, out);
    execFileSync(command, args, { cwd: source, env: quiet, stdio: 'inherit' });

    const made = files(out);
    assert.ok(made.length > 0, 'the script made no files');
    assert.deepEqual(files(COMMITTED), made, 'the files under web/vendor');
    const differing = made.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(COMMITTED, f))));
    assert.deepEqual(differing, [], 'files under web/vendor that differ from the script\'s output (run the script again)');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
