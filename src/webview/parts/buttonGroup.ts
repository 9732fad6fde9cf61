import '@vscode-elements/elements/dist/vscode-button/index.js';
import { el } from '../dom';

export interface ButtonSpec<A extends string> {
  action: A;
  label: string;
  primary?: boolean;
}

/**
 * A row of `vscode-button`s (focusable, Enter/Space click them) in a labelled group. Rebuilt only
 * when the set of buttons changes, and then the focus goes back to the same action if it is still
 * there, so live updates never throw a keyboard user out of the list.
 */
export class ButtonGroup<A extends string> {
  readonly element = el('div', { className: 'actions', attrs: { role: 'group' } });
  private key = '';

  constructor(onAction: (action: A) => void) {
    this.element.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest?.('[data-action]');
      if (button && !button.hasAttribute('disabled')) onAction(button.getAttribute('data-action') as A);
    });
  }

  update(label: string, buttons: ButtonSpec<A>[]): void {
    this.element.setAttribute('aria-label', label);
    const key = buttons.map((b) => `${b.action}:${b.label}:${b.primary ? 1 : 0}`).join('|');
    if (key === this.key) return;
    this.key = key;
    const focused = (document.activeElement as Element | null)?.closest?.('[data-action]');
    const focusedAction = focused && this.element.contains(focused) ? focused.getAttribute('data-action') : undefined;
    this.element.replaceChildren(
      // tabindex now, not when the element first renders: the focus may have to move to it at once.
      ...buttons.map((b) =>
        el('vscode-button', {
          text: b.label,
          attrs: { tabindex: '0', 'data-action': b.action, 'data-testid': `action-${b.action}`, ...(b.primary ? {} : { secondary: '' }) },
        }),
      ),
    );
    if (focusedAction) {
      const again =
        this.element.querySelector<HTMLElement>(`[data-action="${CSS.escape(focusedAction)}"]`) ?? this.element.querySelector<HTMLElement>('[data-action]');
      again?.focus();
    }
  }
}
