// Measurement-only (test/vscode/e2e/coldStart.mjs --baseline): a webview view with nothing in it but
// one inline script that draws one card and marks the moment, opened by a command as "Show Videos"
// opens ours. Its time from the command to the card is what VS Code itself spends starting a webview
// view; the rest of ours is our own.
const vscode = require('vscode');

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('coldBaseline.view', {
      resolveWebviewView(view) {
        const nonce = require('crypto').randomBytes(16).toString('base64');
        view.webview.options = { enableScripts: true };
        view.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
</head><body><script nonce="${nonce}">
const card = document.createElement('div');
card.className = 'card';
card.dataset.taskId = 'baseline';
card.textContent = 'bare webview';
document.body.append(card);
performance.mark('juxin-sora:first-card');
</script></body></html>`;
      },
    }),
    vscode.commands.registerCommand('coldBaseline.show', () => vscode.commands.executeCommand('coldBaseline.view.focus')),
  );
};
