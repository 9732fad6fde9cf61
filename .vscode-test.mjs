// `npx vscode-test` (@vscode/test-cli + @vscode/test-electron) runs the same in-host suite in a
// downloaded VS Code, for machines with internet. (Offline, `npm test` uses code-server instead:
// test/vscode/run.mjs.) Build first: `npm run build`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@vscode/test-cli';
import * as esbuild from 'esbuild';

const suiteDir = path.resolve('test/vscode/suite');
const suite = path.resolve('.cache/vscode-electron/suite.js');
await esbuild.build({
  stdin: {
    contents: readdirSync(suiteDir)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `import './${f}';`)
      .join('\n'),
    resolveDir: suiteDir,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  outfile: suite,
});

const sim = spawn(process.execPath, ['dist/simulator.js', '--port', '0', '--time-scale', '60'], { stdio: ['ignore', 'pipe', 'inherit'] });
process.on('exit', () => sim.kill());
const simUrl = await new Promise((resolve) => {
  let out = '';
  sim.stdout.on('data', (c) => {
    out += c;
    const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
    if (m) resolve(m[0]);
  });
});

export default defineConfig({
  files: suite,
  mocha: { ui: 'bdd', timeout: 120000 },
  launchArgs: ['--disable-workspace-trust'],
  env: {
    JUXIN_SIM_URL: simUrl,
    JUXIN_TEST_KEY: 'sk-test-not-a-real-key-0001',
    JUXIN_SORA_HOME: mkdtempSync(path.join(tmpdir(), 'juxin-electron-')),
    JUXIN_TIME_SCALE: '60',
  },
});
