// `npm run pack:mcp`: the standalone MCP server as its own npm package, `juxin-sora-mcp` — what
// `npx juxin-sora-mcp` runs in Claude Desktop, Cursor, Cline… The bundle dist/server.js carries all its
// dependencies, so the package is that one file, a README and the license. Its package.json is made
// here from the root one, so the version and the Node requirement have one source.
//   node packages/juxin-sora-mcp/pack.mjs [--out <dir>]   (after a build; prints the .tgz path)
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');

const { values } = parseArgs({ options: { out: { type: 'string', default: ROOT } } });
const server = path.join(ROOT, 'dist/server.js');
if (!existsSync(server)) {
  process.stderr.write('dist/server.js is missing: run `npm run build` (or `npm run pack:mcp`, which builds) first.\n');
  process.exit(1);
}

const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const manifest = {
  name: 'juxin-sora-mcp',
  version: root.version,
  description: 'MCP server for Sora-2 video generation through the Juxin (聚鑫) API: generate, track, download and remix videos from any MCP client.',
  license: root.license,
  bin: { 'juxin-sora-mcp': 'server.js' },
  files: ['server.js'],
  engines: { node: root.engines.node },
  keywords: ['mcp', 'mcp-server', 'modelcontextprotocol', 'sora', 'sora-2', 'video', 'juxin', '聚鑫', '视频生成'],
};

const stage = mkdtempSync(path.join(tmpdir(), 'juxin-sora-mcp-pack-'));
try {
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(server, path.join(stage, 'server.js'));
  chmodSync(path.join(stage, 'server.js'), 0o755);
  copyFileSync(path.join(HERE, 'README.md'), path.join(stage, 'README.md'));
  copyFileSync(path.join(ROOT, 'LICENSE'), path.join(stage, 'LICENSE'));
  mkdirSync(values.out, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', path.resolve(values.out)], {
      cwd: stage,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  process.stdout.write(`${path.resolve(values.out, packed.filename)}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
