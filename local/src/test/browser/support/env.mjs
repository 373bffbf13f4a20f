// What BrowserTest hands over: the stack's addresses, a key, where Chromium and screenshots are.
function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through BrowserTest (mvn -pl local -am verify -Dtest=BrowserTest)`);
  return value;
}

export const env = {
  url: required('FALGATE_URL'),
  key: required('FALGATE_KEY'),
  falUrl: required('FAL_EMULATOR_URL'),
  speed: Number(process.env.FALGATE_SPEED ?? 40),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  screenshots: required('SCREENSHOTS'),
  repoRoot: required('REPO_ROOT'),
  /** Generous: SwiftShader compiling a 3D viewer's shaders holds the page for seconds on a busy machine. */
  uiTimeoutMs: 45_000,
  /** 3D jobs take 2-3 s at speed 40; the deadline leaves room for a busy 2-core machine. */
  jobTimeoutMs: 90_000,
};
