import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cardStrings, langOf } from '../../../src/webview/card/strings';

const ROOT = path.resolve(__dirname, '../../..');

/** key → English literal of the extension's webviewStrings() (the pages' labels). */
function pageLabels(): Map<string, string> {
  const source = readFileSync(path.join(ROOT, 'src/extension/views/strings.ts'), 'utf8');
  const found = new Map<string, string>();
  for (const m of source.matchAll(/(\w+): vscode\.l10n\.t\('((?:[^'\\]|\\.)*)'/g)) found.set(m[1], m[2].replace(/\\(.)/g, '$1'));
  return found;
}

describe('webview/card/strings: the chat card speaks the user language', () => {
  it('picks Chinese for every zh locale the hosts send, English otherwise', () => {
    for (const locale of ['zh-cn', 'zh-CN', 'zh-Hans', 'zh-tw', 'zh']) assert.equal(langOf(locale), 'zh', locale);
    for (const locale of ['en', 'en-US', 'de', '', undefined, 'zhx']) assert.equal(langOf(locale), 'en', String(locale));
  });

  it('uses the very labels of the pages for what they share, so the wording cannot drift', () => {
    const en = cardStrings('en') as unknown as Record<string, string>;
    const pages = pageLabels();
    assert.ok(pages.size > 40, `found ${pages.size} page labels`);
    for (const [key, english] of pages) assert.equal(en[key], english, key);
  });

  it('has a Chinese translation for every label, with the same placeholders', () => {
    const en = cardStrings('en') as unknown as Record<string, string>;
    const zh = cardStrings('zh') as unknown as Record<string, string>;
    const placeholders = (x: string) => (x.match(/\{\d+\}/g) ?? []).sort().join();
    // A name stays a name in Chinese too.
    const names = new Set(['Copilot']);
    const untranslated = Object.keys(en).filter((k) => zh[k] === en[k] && /[a-z]{3}/i.test(en[k]) && !names.has(en[k]));
    assert.deepEqual(untranslated, []);
    for (const k of Object.keys(en)) assert.equal(placeholders(zh[k]), placeholders(en[k]), k);
  });
});
