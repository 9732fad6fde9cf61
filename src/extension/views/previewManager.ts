import * as vscode from 'vscode';
import { z } from 'zod';
import { PREVIEW_VIEW_TYPE } from '../commands/ids';
import type { Services } from '../services';
import { Disposable, toDisposable } from '../util/dispose';
import { PreviewPanel } from './previewPanel';

// The page persists only { taskId } (PersistedPreview); anything else is not ours to restore.
const persisted = z.object({ taskId: z.string().min(1).max(300) });

/**
 * One panel per task: opening a task that already has one reveals it, so two videos can be compared
 * side by side and a panel never switches to another video under the user. Panels come back after a
 * window reload through the serializer.
 */
export class PreviewManager extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, PreviewPanel>();

  constructor(private readonly services: Services) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, this));
    this._register(toDisposable(() => [...this.panels.values()].forEach((p) => p.dispose())));
  }

  open(taskId: string): void {
    const existing = this.panels.get(taskId);
    if (existing) return existing.panel.reveal();
    // Options are set again by the panel once it knows which folder holds the video.
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'AI Video', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
    this.adopt(taskId, panel);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = persisted.safeParse(state);
    if (!parsed.success || this.panels.has(parsed.data.taskId)) return panel.dispose();
    // A panel restored at start-up may come before the history is read: its task is in it.
    await this.services.host.ready.catch(() => undefined);
    if (this.panels.has(parsed.data.taskId)) return panel.dispose();
    this.adopt(parsed.data.taskId, panel);
  }

  get openTaskIds(): string[] {
    return [...this.panels.keys()];
  }

  /** The page of a task's open panel (for the in-VS-Code tests). */
  htmlOf(taskId: string): string | undefined {
    return this.panels.get(taskId)?.html;
  }

  private adopt(taskId: string, panel: vscode.WebviewPanel): void {
    const preview = new PreviewPanel(this.services, taskId, panel);
    this.panels.set(taskId, preview);
    panel.onDidDispose(() => {
      if (this.panels.get(taskId) === preview) this.panels.delete(taskId);
    });
  }
}

export interface PreviewPanels {
  disposable: vscode.Disposable;
  open(taskId: string): void;
  openTaskIds(): string[];
  htmlOf(taskId: string): string | undefined;
}

/** Registers the preview's serializer; `open(taskId)` opens or reveals a task's preview. */
export function registerPreviewPanel(services: Services): PreviewPanels {
  const manager = new PreviewManager(services);
  return {
    disposable: manager,
    open: (taskId) => manager.open(taskId),
    openTaskIds: () => manager.openTaskIds,
    htmlOf: (taskId) => manager.htmlOf(taskId),
  };
}
