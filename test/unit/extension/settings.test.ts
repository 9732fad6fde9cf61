import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { baseUrlProblem } from '../../../src/juxin/http';

const ROOT = path.resolve(__dirname, '../../..');

describe('extension settings', () => {
  it("the base URL setting's pattern accepts exactly what the client accepts", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { pattern?: string }> } };
    };
    const pattern = new RegExp(pkg.contributes.configuration.properties['juxinSora.baseUrl'].pattern!);
    const samples = [
      'https://api.jxincm.cn',
      'https://api.jxincm.cn/v1',
      'https://relay.example:8443/juxin/',
      'http://127.0.0.1:8787',
      'http://localhost:3000/relay',
      'http://[::1]:8080',
      'http://api.jxincm.cn',
      'http://10.0.0.5',
      'https://user:pw@api.jxincm.cn',
      'https://token@api.jxincm.cn',
      'https://api.jxincm.cn/?token=1',
      'https://api.jxincm.cn/#frag',
      'ftp://api.jxincm.cn',
      'api.jxincm.cn',
    ];
    for (const url of samples) assert.equal(pattern.test(url), baseUrlProblem(url) === undefined, url);
  });
});
