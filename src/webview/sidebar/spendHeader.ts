import { el, setText } from '../dom';
import { toSpendModel, type SpendLevel } from '../model/spendModel';
import type { SpendLedger, Strings } from '../protocol';

/**
 * The ledger under the toolbar: today against the daily limits, this month, failed tasks apart, and a
 * button to the settings. Near or at a limit it shows an icon and a colour, and says so (tooltip, screen readers).
 */
export class SpendHeader {
  readonly element: HTMLElement;
  private readonly today: HTMLElement;
  private readonly month: HTMLElement;
  private readonly failed: HTMLElement;
  private readonly status: HTMLElement;
  private readonly icon: HTMLElement;
  private level: SpendLevel | undefined;

  constructor(
    private readonly strings: Strings,
    openSettings: () => void,
  ) {
    this.today = el('span', { className: 'spend-today', attrs: { 'data-testid': 'spend-today' } });
    this.month = el('span', { className: 'spend-month', attrs: { 'data-testid': 'spend-month' } });
    this.failed = el('span', { className: 'spend-failed', attrs: { 'data-testid': 'spend-failed' } });
    // Near or at a limit: an icon and a colour on the first line; the words for the tooltip and screen readers.
    this.status = el('span', { className: 'visually-hidden', attrs: { 'data-testid': 'spend-status' } });
    this.icon = el('span', { className: 'spend-icon codicon', attrs: { 'aria-hidden': 'true' } });
    const settings = el(
      'button',
      {
        className: 'icon-button',
        attrs: { type: 'button', 'aria-label': strings.spendSettings, title: strings.spendSettings, 'data-testid': 'spend-settings' },
      },
      el('span', { className: 'codicon codicon-settings-gear', attrs: { 'aria-hidden': 'true' } }),
    );
    settings.addEventListener('click', openSettings);
    this.element = el(
      'div',
      { className: 'spend', attrs: { role: 'group', 'aria-label': strings.spendRegion, 'data-testid': 'spend' } },
      el('div', { className: 'spend-lines' }, el('span', { className: 'spend-first' }, this.icon, this.today, this.status), this.month, this.failed),
      settings,
    );
  }

  /** Shows the ledger; returns the status sentence when the level just changed to near or over (to announce). */
  show(ledger: SpendLedger): string | undefined {
    const model = toSpendModel(ledger, this.strings);
    // A narrow sidebar wraps today's line between its parts, never inside one ("≈ ¥20.00" stays whole).
    this.today.textContent = model.today.replace(/(?<!·) /g, '\u00a0');
    this.month.textContent = model.month;
    setText(this.failed, model.failed);
    setText(this.status, model.status);
    this.icon.className = `spend-icon codicon ${model.level === 'over' ? 'codicon-error' : 'codicon-warning'}`;
    this.icon.hidden = model.level === 'ok';
    this.element.dataset.level = model.level;
    this.element.title = [model.today, model.status, model.month, model.failed].filter(Boolean).join('\n');
    const changed = this.level !== undefined && this.level !== model.level;
    this.level = model.level;
    return changed ? model.status : undefined;
  }
}
