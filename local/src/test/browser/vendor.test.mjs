// web/vendor/ is what web/vendor-src/vendor.sh makes from its lock file, byte for byte: the
// script runs on a copy of web/vendor-src (it runs `npm ci` itself and writes the copy's sibling
// vendor/), and the two trees are compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const REPO = process.env.REPO_ROOT ?? new URL('../../../../', import.meta.url).pathname;
const SOURCE = join(REPO, 'web/vendor-src');
const COMMITTED = join(REPO, 'web/vendor');

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
    const source = join(work, 'vendor-src');
    const out = join(work, 'vendor');
    cpSync(SOURCE, source, { recursive: true, filter: (p) => !p.includes('node_modules') });
    const quiet = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
    execFileSync('bash', ['vendor.sh'], { cwd: source, env: quiet, stdio: 'inherit' });

    const made = files(out);
    assert.ok(made.length > 0, 'the script made no files');
    assert.deepEqual(files(COMMITTED), made, 'the files under web/vendor');
    const differing = made.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(COMMITTED, f))));
    assert.deepEqual(differing, [], 'files under web/vendor that differ from the script\'s output (run the script again)');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
