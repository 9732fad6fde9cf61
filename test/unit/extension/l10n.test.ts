import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Every `vscode.l10n.t('…')` literal in the extension, unescaped as the runtime sees it. */
function runtimeStrings(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'src/extension'))) {
    // Single or double quotes (prettier picks double quotes for a string with an apostrophe).
    for (const m of readFileSync(file, 'utf8').matchAll(/l10n\.t\(\s*(['"])((?:(?!\1)[^\\]|\\.)*)\1/g)) found.add(m[2].replace(/\\(.)/g, '$1'));
  }
  return found;
}

describe('extension localization (English and 简体中文 everywhere)', () => {
  it('has a Chinese translation for every runtime string, keeping its placeholders', () => {
    const zh = JSON.parse(readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const strings = runtimeStrings();
    assert.ok(strings.size > 50, `found only ${strings.size} strings`);
    const missing = [...strings].filter((s) => !zh[s]);
    assert.deepEqual(missing, []);
    for (const s of strings) {
      const placeholders = (x: string) => (x.match(/\{\d+\}/g) ?? []).sort().join();
      assert.equal(placeholders(zh[s]), placeholders(s), `placeholders of "${s}"`);
    }
  });

  it('translates every %key% of package.json, in both languages', () => {
    const pkg = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const keys = new Set([...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    const en = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const zh = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
    assert.ok(keys.size > 30);
    assert.deepEqual(
      [...keys].filter((k) => !en[k]),
      [],
      'missing in package.nls.json',
    );
    assert.deepEqual(
      [...keys].filter((k) => !zh[k]),
      [],
      'missing in package.nls.zh-cn.json',
    );
    assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort(), 'the two files have the same keys');
  });
});
