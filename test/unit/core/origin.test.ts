import assert from 'node:assert/strict';
import { isVsCodeClient, legacySource, originOf } from '../../../src/core/origin';

describe('core/origin', () => {
  it('keeps a recorded origin as it is', () => {
    assert.deepEqual(originOf({ source: 'mcp', origin: { kind: 'mcp', client: 'Claude Desktop', host: 'stdio' } }), {
      kind: 'mcp',
      client: 'Claude Desktop',
      host: 'stdio',
    });
  });

  it('reads records written before origins existed from their source word', () => {
    assert.deepEqual(originOf({ source: 'vscode' }), { kind: 'palette', host: 'vscode' });
    assert.deepEqual(originOf({ source: 'mcp' }), { kind: 'mcp' });
    assert.deepEqual(originOf({ source: 'bench' }), { kind: 'cli' });
    assert.deepEqual(originOf({ source: 'Cursor' }), { kind: 'mcp', client: 'Cursor' });
  });

  it('writes the source word older readers expect', () => {
    assert.equal(legacySource({ kind: 'palette' }), 'vscode');
    assert.equal(legacySource({ kind: 'mcp', client: 'Cursor' }), 'mcp');
    assert.equal(legacySource({ kind: 'storyboard' }), 'storyboard');
  });

  it('recognizes VS Code as an MCP client by the names it uses', () => {
    assert.ok(isVsCodeClient('Visual Studio Code'));
    assert.ok(isVsCodeClient('Visual Studio Code - Insiders'));
    assert.ok(!isVsCodeClient('Claude Desktop'));
    assert.ok(!isVsCodeClient(undefined));
  });
});
