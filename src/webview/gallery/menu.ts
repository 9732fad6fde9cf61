/**
 * The card menu is VS Code's own: a `webview/context` menu that VS Code opens on a right click and
 * fills from the card's `data-vscode-context` (its task id and actions). The "…" button and the
 * keyboard (Shift+F10, the Menu key) open the same menu by sending the same event at the element.
 */
export function openContextMenu(target: HTMLElement, clientX: number, clientY: number): void {
  target.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: Math.round(clientX), clientY: Math.round(clientY) }));
}

let suppressUntil = 0;

/**
 * After Shift+F10 or the Menu key opened the menu at the card, the browser's own keyboard context
 * menu event (placed at the corner of the page) must not open a second one.
 */
export function suppressKeyboardContextMenu(): void {
  suppressUntil = performance.now() + 500;
}

window.addEventListener(
  'contextmenu',
  (event) => {
    if (event.isTrusted && performance.now() < suppressUntil) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  { capture: true },
);
