import '@vscode-elements/elements/dist/vscode-button/index.js';
import { el } from '../dom';
import type { SidebarCommand, Strings } from '../protocol';

/** What a beginner sees before the first video: set the key, make a video, or ask Copilot. */
export function emptyState(strings: Strings, hasKey: boolean, run: (command: SidebarCommand) => void): HTMLElement {
  const button = (label: string, command: SidebarCommand, primary: boolean) => {
    const b = el('vscode-button', { text: label, attrs: { 'data-testid': `empty-${command}`, ...(primary ? {} : { secondary: '' }) } });
    b.addEventListener('click', () => run(command));
    return b;
  };
  return el(
    'section',
    { className: 'empty', attrs: { 'data-testid': 'empty', 'aria-labelledby': 'empty-title' } },
    el('h2', { text: strings.emptyTitle, attrs: { id: 'empty-title' } }),
    el('p', { className: hasKey ? 'step done' : 'step', text: hasKey ? strings.stepKeyDone : strings.stepKey }),
    hasKey ? undefined : button(strings.setKey, 'setKey', true),
    el('p', { className: 'step', text: strings.stepGenerate }),
    button(strings.generate, 'generate', hasKey),
    el('p', { className: 'hint', text: strings.copilotHint }),
    button(strings.gettingStarted, 'gettingStarted', false),
  );
}
