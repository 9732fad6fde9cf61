/** Tiny DOM helpers: every string is set with textContent, never parsed as HTML. */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; attrs?: Record<string, string> } = {}, ...children: (Node | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

export function readData<T>(name: string): T {
  return JSON.parse(document.body.dataset[name] ?? 'null') as T;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
  getState(): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
