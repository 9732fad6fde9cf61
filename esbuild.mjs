// One build for every bundle: the standalone MCP server, the simulator, the demo, the benchmark,
// the VS Code extension and the webview scripts. `--production` minifies and writes source maps
// beside the bundles (the .vscodeignore keeps them out of the package).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? 'external' : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

/** Entry points that exist yet; lets the build run while features are added. */
const present = (entries) => Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

const builds = [
  {
    ...node,
    entryPoints: present({
      server: 'src/cli/server.ts',
      simulator: 'src/cli/simulator.ts',
      demo: 'src/cli/demo.ts',
      bench: 'src/cli/bench.ts',
    }),
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...node,
    entryPoints: present({ extension: 'src/extension/extension.ts' }),
    outdir: 'dist',
    external: ['vscode'],
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    sourcemap: production ? 'external' : 'linked',
    minify: production,
    logLevel: 'warning',
    entryPoints: present({
      sidebar: 'src/webview/sidebar.ts',
      preview: 'src/webview/preview.ts',
      storyboard: 'src/webview/storyboard.ts',
    }),
    outdir: 'dist/webview',
  },
].filter((b) => Object.keys(b.entryPoints).length > 0);

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
