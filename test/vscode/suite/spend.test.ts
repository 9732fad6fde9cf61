import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SoraExtensionApi } from '../../../src/extension/extension';
import { answering, answeringElicitation } from './dialogs';
import { UI_DEADLINE_MS, waitUntil } from '../../helpers/wait';

const SIM = process.env.JUXIN_SIM_URL!;

/** POSTs to the simulator's API (a create or a remix would be one). */
async function simCreates(): Promise<number> {
  const r = await fetch(`${SIM}/__sim/requests`);
  return ((await r.json()) as { requests: { method: string; path: string }[] }).requests.filter((x) => x.method === 'POST' && x.path.startsWith('/v1')).length;
}

/** Calls one of our MCP tools the way Copilot's agent mode does; the text it answered. */
async function invokeSoraTool(name: string, input: Record<string, unknown>): Promise<string> {
  const tool = await waitUntil(() => vscode.lm.tools.find((t) => t.name.endsWith(name) && t.name.includes('juxin')), UI_DEADLINE_MS, `the ${name} tool`);
  try {
    const result = await vscode.lm.invokeTool(tool.name, { input, toolInvocationToken: undefined });
    return result.content.map((c) => (c instanceof vscode.LanguageModelTextPart ? c.value : '')).join(' ');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('Daily spend limits in a real VS Code', function () {
  // Deadlines inside (test/helpers/wait.cjs) say what a failure waited for; this only bounds the whole test.
  this.timeout(600_000);
  let api: SoraExtensionApi;
  const config = () => vscode.workspace.getConfiguration('juxinSora');
  /** What counts toward today's video limit (failed videos included). */
  const today = () => api.engine.spend().limitUse.videos;

  /** The limit at today's count: the next video asks. */
  async function limitAtToday(): Promise<number> {
    const limit = today();
    await config().update('dailyVideoLimit', limit, vscode.ConfigurationTarget.Global);
    await waitUntil(() => api.engine.spend().limits.dailyVideos === limit, UI_DEADLINE_MS, 'the engine to read the new limit');
    return limit;
  }

  before(async () => {
    api = (await vscode.extensions.getExtension<SoraExtensionApi>('juxin-sora.juxin-sora')!.activate())!;
    // Activation does not wait for the history; the suite works on all of it.
    await api.engine.whenReady();
    assert.ok(await api.hasApiKey(), 'the extension suite set the key');
    assert.deepEqual(
      [api.engine.spend().limits.dailyVideos, api.engine.spend().limits.dailySeconds],
      [20, 300],
      'the defaults apply until the user changes them',
    );
  });

  after(async () => {
    // The workbench tests after this suite generate more videos: the defaults again.
    await config().update('dailyVideoLimit', undefined, vscode.ConfigurationTarget.Global);
    await config().update('dailySecondsLimit', undefined, vscode.ConfigurationTarget.Global);
  });

  it('asks in a modal before a generation from VS Code passes the daily limit; Cancel and "Change Limits…" send nothing, "Generate Anyway" goes on', async () => {
    const limit = await limitAtToday();
    const sent = await simCreates();
    const generate = (prompt: string) => vscode.commands.executeCommand<{ id: string } | undefined>('juxinSora.generateVideo', { prompt });

    // The command with an argument is confirmed first (another extension's request), then the limit.
    const refused = await answering(['Generate (paid)', 'Cancel'], () => generate('one over the daily limit'));
    assert.equal(refused.result, undefined);
    assert.equal(refused.dialogs.length, 2, `two questions; seen: ${refused.seen}`);
    const question = refused.dialogs[1];
    assert.equal(question.message, `This would be video ${limit + 1} today, over your limit of ${limit}. Generate anyway?`);
    assert.match(question.detail, new RegExp(`today comes to ${limit + 1} video\\(s\\)`));
    // (VS Code orders a modal's buttons by platform.)
    assert.deepEqual(question.buttons.filter((b) => b !== 'Cancel').sort(), ['Change Limits…', 'Generate Anyway']);
    assert.equal(await simCreates(), sent, 'nothing sent');
    assert.equal(today(), limit);

    const change = await answering(['Generate (paid)', 'Change Limits…'], () => generate('one over the daily limit'));
    assert.equal(change.result, undefined);
    assert.equal(change.dialogs[1]?.pressed, 'Change Limits…', change.seen);
    await waitUntil(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Settings'),
      UI_DEADLINE_MS,
      'the settings editor, opened on the limits',
    );
    assert.equal(await simCreates(), sent, 'nothing sent');

    const allowed = await answering(['Generate (paid)', 'Generate Anyway'], () => generate('one over the daily limit, allowed'));
    assert.ok(allowed.result?.id, `generated on the yes; seen: ${allowed.seen}`);
    assert.equal(await simCreates(), sent + 1);
    assert.equal(today(), limit + 1);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("asks through VS Code's own elicitation before Copilot passes the daily limit; only a yes is sent", async () => {
    // The MCP tools may need a moment after the settings change above.
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
    const limit = await limitAtToday();
    const sent = await simCreates();

    const declined = await answeringElicitation('false', () => invokeSoraTool('generate_video', { prompt: 'Copilot, one over the limit', wait: false }));
    assert.equal(declined.dialogs.length, 1, `VS Code asked; the tool answered: ${declined.result}; seen: ${declined.seen}`);
    const asked = declined.dialogs[0];
    assert.equal(asked.kind, 'elicitation');
    assert.match(asked.message, new RegExp(`This would be video ${limit + 1} today, over your limit of ${limit}\\. Generate anyway\\?`));
    assert.match(asked.message, /仍要生成吗？/);
    assert.deepEqual(asked.choices, ['true', 'false'], 'one yes/no field');
    assert.match(asked.title ?? '', /Generate anyway\?/);
    assert.match(declined.result, /over your limit/);
    assert.match(declined.result, /juxinSora\.dailyVideoLimit/, 'the refusal says where to raise the limit');
    assert.equal(await simCreates(), sent, 'nothing sent on a no');

    const cancelled = await answeringElicitation('Cancel', () => invokeSoraTool('generate_video', { prompt: 'Copilot, one over the limit', wait: false }));
    assert.equal(cancelled.dialogs.length, 1, cancelled.seen);
    assert.match(cancelled.result, /Nothing was sent/);
    assert.equal(await simCreates(), sent, 'nothing sent when the question is dismissed');

    const known = new Set(api.engine.list({}).map((t) => t.id));
    const approved = await answeringElicitation('true', () =>
      invokeSoraTool('generate_video', { prompt: 'Copilot, one over the limit, allowed', wait: false }),
    );
    assert.equal(approved.dialogs[0]?.pressed, 'true', approved.seen);
    const task = await waitUntil(() => api.engine.list({}).find((t) => !known.has(t.id)), UI_DEADLINE_MS, `the allowed task (${approved.result})`);
    assert.equal(task.params.prompt, 'Copilot, one over the limit, allowed');
    assert.equal(await simCreates(), sent + 1);
  });

  it('reads the limits at every request: raised, the next generation goes without a question', async () => {
    await config().update('dailyVideoLimit', today() + 1, vscode.ConfigurationTarget.Global);
    await waitUntil(() => api.engine.spend().limits.dailyVideos === today() + 1, UI_DEADLINE_MS, 'the raised limit');
    const { result, dialogs } = await answering('Generate (paid)', () =>
      vscode.commands.executeCommand<{ id: string } | undefined>('juxinSora.generateVideo', { prompt: 'within the raised limit' }),
    );
    assert.ok(result?.id);
    assert.equal(dialogs.length, 1, 'only the confirmation of a request from another extension');
  });
});
