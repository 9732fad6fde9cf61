// Test-only. VS Code's chat needs a language model before it sends any request, and agent mode needs
// a Copilot sign-in; neither exists offline. So this extension brings both halves of an agent:
// - a language model (`vscode.lm.registerLanguageModelChatProvider`) that answers like a model that
//   decided to make a video: a call of the Juxin Sora generate_video tool with the user's words as the
//   prompt, then, once it sees the tool's result, one closing sentence;
// - a chat participant, @sora, that runs the usual agent loop: send the conversation and the tools to
//   the selected model, invoke each tool call it returns with the request's `toolInvocationToken`
//   (which is what makes the call, its approval and its MCP App card appear in the chat), feed the
//   results back, stop when the model only talks.
// Plus two commands for the chat's daily-limit test (below).
const vscode = require('vscode');

const VENDOR = 'juxin-sora-tests';
const MODEL = {
  id: 'sora-test-model',
  name: 'Sora Test Model',
  family: 'sora-test',
  version: '1.0.0',
  maxInputTokens: 100000,
  maxOutputTokens: 4096,
  isUserSelectable: true,
  capabilities: { toolCalling: true },
};

/** The scripted model: one tool call for a new request, words after a tool result. */
async function answer(messages, options, progress) {
  const last = messages[messages.length - 1];
  const sawResult = last.content.some((part) => part instanceof vscode.LanguageModelToolResultPart);
  const tool = (options.tools ?? []).find((t) => /juxin.*generate_video$/.test(t.name));
  if (sawResult || !tool) {
    progress.report(new vscode.LanguageModelTextPart(tool ? 'Your video is ready: it plays in the card above.' : 'No video tool is available.'));
    return;
  }
  const words = last.content
    .filter((part) => part instanceof vscode.LanguageModelTextPart)
    .map((part) => part.value)
    .join(' ')
    .trim();
  progress.report(new vscode.LanguageModelToolCallPart(`call-${Date.now()}`, tool.name, { prompt: words }));
}

async function runAgent(request, stream, token) {
  await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
  const tools = vscode.lm.tools.filter((t) => t.name.includes('juxin'));
  const messages = [vscode.LanguageModelChatMessage.User(request.prompt)];
  for (let round = 0; round < 4 && !token.isCancellationRequested; round++) {
    const response = await request.model.sendRequest(messages, { tools }, token);
    const calls = [];
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
      else if (part instanceof vscode.LanguageModelTextPart) stream.markdown(part.value);
    }
    if (!calls.length) return;
    messages.push(vscode.LanguageModelChatMessage.Assistant(calls));
    for (const call of calls) {
      const result = await vscode.lm.invokeTool(call.name, { input: call.input, toolInvocationToken: request.toolInvocationToken }, token);
      messages.push(vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, result.content)]));
    }
  }
}

exports.activate = async (context) => {
  context.subscriptions.push(
    vscode.lm.registerLanguageModelChatProvider(VENDOR, {
      provideLanguageModelChatInformation: async () => [MODEL],
      provideLanguageModelChatResponse: (_model, messages, options, progress) => answer(messages, options, progress),
      provideTokenCount: async (_model, text) => Math.ceil((typeof text === 'string' ? text.length : 40) / 4),
    }),
    vscode.chat.createChatParticipant('juxin-sora-tests.sora', async (request, _context, stream, token) => {
      try {
        await runAgent(request, stream, token);
      } catch (error) {
        stream.markdown(`The test driver failed: ${error && error.message ? error.message : error}`);
      }
      return {};
    }),
  );
  // The daily limit at today's count (the next video asks), and back to the default: for the chat's
  // limit test, which drives the workbench and cannot reach the extension host otherwise. Today's count
  // comes from the extension's test API (the harness sets JUXIN_SORA_TEST_API=1).
  const limits = () => vscode.workspace.getConfiguration('juxinSora');
  /** A file in the harness's exchange folder: `<command>.done.json`, written once the command's work is done. */
  const done = (command, value) => {
    const dir = process.env.JUXIN_TEST_EXCHANGE;
    if (dir) require('fs').writeFileSync(require('path').join(dir, `${command}.done.json`), JSON.stringify({ value }));
  };
  context.subscriptions.push(
    // Each says when the setting is written (the workbench test waits for that before it goes on).
    vscode.commands.registerCommand('juxinSoraTests.limitAtToday', async () => {
      const api = await vscode.extensions.getExtension('juxin-sora.juxin-sora').activate();
      // What counts toward the limit: failed videos included.
      const today = api.engine.spend().limitUse.videos;
      await limits().update('dailyVideoLimit', today, vscode.ConfigurationTarget.Global);
      done('limitAtToday', today);
      return today;
    }),
    vscode.commands.registerCommand('juxinSoraTests.restoreLimits', async () => {
      await limits().update('dailyVideoLimit', undefined, vscode.ConfigurationTarget.Global);
      done('restoreLimits', null);
    }),
  );
  // The chat's model picker shows a provider's models once something has asked for them.
  await vscode.lm.selectChatModels({ vendor: VENDOR });
};
