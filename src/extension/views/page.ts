import * as vscode from 'vscode';
import { isChinese } from '../messages';
import { readSettings } from '../settings';
import type { PageSettings } from '../../webview/protocol';
import type { SnapshotContext } from './snapshot';

export type PageName = 'sidebar' | 'preview';

/** The only extension folders a page may read: its bundle and its CSS (not the whole extension). */
export function pageRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media', 'webview')];
}

export function pageFiles(webview: vscode.Webview, extensionUri: vscode.Uri, name: PageName): { script: vscode.Uri; style: vscode.Uri } {
  return {
    script: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${name}.js`)),
    style: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview', `${name}.css`)),
  };
}

/** The codicon font (for the icon buttons), copied into dist/webview by the build; the elements find it by this id. */
export function codiconStyle(webview: vscode.Webview, extensionUri: vscode.Uri): { id: string; href: vscode.Uri } {
  return { id: 'vscode-codicon-stylesheet', href: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'codicon.css')) };
}

/** Read at every snapshot: the base URL decides which http thumbnails may load. */
export function snapshotContext(): SnapshotContext {
  return { baseUrl: readSettings().baseUrl, chinese: isChinese() };
}

export function pageSettings(): PageSettings {
  return { apiBaseUrl: readSettings().baseUrl };
}
