// One build for every bundle: the standalone MCP server, the simulator, the demo, the benchmark,
// the VS Code extension and the webview scripts. `--production` minifies and writes source maps
// beside the bundles (the .vscodeignore keeps them out of the package).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';

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

/** Placeholder for the card's extra image/media sources; src/mcp/apps/cardHtml.ts fills it per read. */
const CARD_SOURCES = '__JUXIN_SORA_CARD_SOURCES__';

// zod ships every locale's error messages (260 KB) through a namespace export the bundler cannot
// drop; the card shows no zod messages, so it gets none of them.
const zodWithoutLocales = {
  name: 'zod-without-locales',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${'/'}zod${'/'}`) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/**
 * The chat card (an MCP App) as ONE self-contained HTML page: hosts load it from the MCP server's
 * `ui://` resource, so its script and style are inline, each allowed by its hash in the page's own
 * CSP (which holds whatever looser policy the host adds). Always minified: the page travels with every
 * card that is shown. Written to dist/webview/card.html and embedded in the Node bundles.
 */
async function buildCardHtml() {
  const result = await esbuild.build({
    entryPoints: { card: 'src/webview/card.ts', style: 'media/webview/card.css' },
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    minify: true,
    legalComments: 'none',
    write: false,
    outdir: 'dist/webview/card',
    logLevel: 'warning',
    plugins: [zodWithoutLocales],
  });
  const script = result.outputFiles.find((f) => f.path.endsWith('card.js')).text.trim();
  const style = result.outputFiles.find((f) => f.path.endsWith('style.css')).text.trim();
  if (/<\/script|<!--/i.test(script) || /<\/style/i.test(style)) throw new Error('the card bundle contains a sequence that would end its inline tag');
  const hash = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const csp = [
    `default-src 'none'`,
    `script-src ${hash(script)}`,
    `style-src ${hash(style)}`,
    `img-src data: ${CARD_SOURCES}`,
    `media-src data: ${CARD_SOURCES}`,
    `connect-src 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sora</title>
<style>${style}</style>
</head>
<body>
<main id="card"></main>
<script>${script}</script>
</body>
</html>
`;
  mkdirSync('dist/webview', { recursive: true });
  writeFileSync('dist/webview/card.html', html);
  return html;
}

const cardHtml = existsSync('src/webview/card.ts') ? await buildCardHtml() : undefined;
const withCard = cardHtml === undefined ? {} : { define: { __JUXIN_SORA_CARD_HTML__: JSON.stringify(cardHtml) } };

const builds = [
  {
    ...node,
    ...withCard,
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
    ...withCard,
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

// The codicon font for the pages' icon buttons, served from dist/webview like the scripts.
mkdirSync('dist/webview', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/webview/${file}`);

if (watch) {
  // (The card is built once at start: restart the watch after changing it.)
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
