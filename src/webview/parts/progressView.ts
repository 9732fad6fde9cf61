import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { el } from '../dom';
import type { ProgressModel } from '../model/taskModel';

/**
 * A `vscode-progress-bar` that exists only while something is running. The element renders
 * role="progressbar" with aria-valuenow/min/max in its shadow root; its label says what is going on.
 */
export class ProgressView {
  readonly element = el('div', { className: 'progress' });
  private bar: HTMLElement | undefined;

  update(progress: ProgressModel | undefined): void {
    if (!progress) {
      this.bar?.remove();
      this.bar = undefined;
      return;
    }
    this.bar ??= this.element.appendChild(el('vscode-progress-bar', { attrs: { max: '100', 'data-testid': 'progress' } }));
    // No percentage while queued or downloading: the bar moves without one.
    if (progress.value === undefined) {
      this.bar.setAttribute('indeterminate', '');
      this.bar.removeAttribute('value');
    } else {
      this.bar.removeAttribute('indeterminate');
      this.bar.setAttribute('value', String(progress.value));
    }
    this.bar.setAttribute('aria-label', progress.label);
  }
}
