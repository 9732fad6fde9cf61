/** Tiny DOM helpers. Every string is set with textContent or setAttribute, never parsed as HTML. */

export interface ElementProps {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: ElementProps, ...children: (Node | undefined)[]): HTMLElementTagNameMap[K];
export function el(tag: string, props?: ElementProps, ...children: (Node | undefined)[]): HTMLElement;
export function el(tag: string, props: ElementProps = {}, ...children: (Node | undefined)[]): HTMLElement {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

/** Sets text and shows the element, or hides it when there is nothing to say. */
export function setText(node: HTMLElement, text: string | undefined): void {
  node.textContent = text ?? '';
  node.hidden = !text;
}

/** JSON the extension put in a `data-` attribute of <body> (escaped there; parsed, never evaluated, here). */
export function readData<T>(name: string): T {
  return JSON.parse(document.body.dataset[name] ?? 'null') as T;
}

/** Whether this browser plays the given audio codec in MP4 (desktop VS Code's Electron does not play AAC). */
export function browserPlaysAudio(codecString: string): boolean {
  return document.createElement('video').canPlayType(`audio/mp4; codecs="${codecString}"`) !== '';
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
  getState(): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
/** acquireVsCodeApi may be called only once per page. */
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
