import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { StoryboardHooks } from '../../mcp/tools/storyboard';
import type { OwnFiles } from '../../util/safeWrite';
import { batchesOf } from '../../storyboard';
import { Commands } from '../commands/ids';
import { describeError } from '../messages';
import type { Services } from '../services';
import { addVideoToStoryboard } from './addVideo';
import { registerCharacters } from './characters';
import { StoryboardCodeLensProvider } from './codeLens';
import { CastCompletionProvider } from './completion';
import { writeShotPrompts } from './copilot';
import { newStoryboard, newStoryboardFromSubtitles } from './create';
import { StoryboardDiagnostics } from './diagnostics';
import { StoryboardDocuments, workspaceRoots } from './documents';
import { assembleFilm, generateClips, maxConcurrentClips, type StoryboardFeatures } from './generation';
import { StoryboardPanels } from './panel';
import { StoryboardQuickFixes } from './quickFix';
import { findClip } from './refs';
import { resolveStoryboard } from './target';

const SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.storyboard.md' };

export interface StoryboardRegistration extends vscode.Disposable {
  /** The page of a storyboard's open view (in-VS-Code tests). */
  viewHtml(file: string): string | undefined;
}

function options(arg: unknown): { regenerate?: boolean; confirm?: boolean; model?: string } {
  if (typeof arg !== 'object' || arg === null) return {};
  const o = arg as Record<string, unknown>;
  return {
    ...(o.regenerate === true ? { regenerate: true } : {}),
    ...(o.confirm === false ? { confirm: false } : {}),
    // Any id: the engine's check refuses one the key cannot use, in both languages, before anything is written.
    ...(typeof o.model === 'string' && o.model.trim() && o.model.length <= 100 ? { model: o.model.trim() } : {}),
  };
}

/**
 * Storyboards in VS Code: the commands, CodeLens, `@` completion and diagnostics of
 * `*.storyboard.md`, the storyboard view and the characters view.
 */
export function registerStoryboards(services: Services, files: Pick<StoryboardFeatures, 'confirm' | 'ownFiles'>): StoryboardRegistration {
  const { engine } = services.host;
  const documents = new StoryboardDocuments(engine);
  const panels = new StoryboardPanels(documents, services.context.extensionUri, services.logger);
  const features: StoryboardFeatures = { services, documents, panels, ...files };
  const target = (arg: unknown) => resolveStoryboard(arg, () => panels.activeUri());

  const run = (id: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        // Registered at activation, before the history is read: a clip's state needs the whole of it.
        await services.host.ready;
        return await fn(...args);
      } catch (error) {
        services.logger.error(`${id} failed: ${error instanceof Error ? error.message : error}`);
        void vscode.window.showErrorMessage(describeError(error));
        return undefined;
      }
    });

  const disposables: vscode.Disposable[] = [
    documents,
    panels,
    new StoryboardDiagnostics(documents),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new StoryboardQuickFixes(documents), { providedCodeActionKinds: StoryboardQuickFixes.kinds }),
    vscode.languages.registerCodeLensProvider(SELECTOR, new StoryboardCodeLensProvider(documents)),
    vscode.languages.registerCompletionItemProvider(SELECTOR, new CastCompletionProvider(documents, () => engine.characters()), '@'),
    registerCharacters(engine, services.host.home, documents, () => panels.activeUri()),
    run(Commands.newStoryboardFromSubtitles, (arg, opts) => newStoryboardFromSubtitles(engine, arg, options(opts))),
    run(Commands.newStoryboard, (arg) => newStoryboard(engine, typeof arg === 'object' && arg ? (arg as { title?: string; folder?: string }) : {})),
    run(Commands.writeShotPrompts, async (arg, ref) => {
      const uri = await target(arg);
      return uri && writeShotPrompts(documents, uri, typeof ref === 'string' ? ref : undefined);
    }),
    run(Commands.generateStoryboard, async (arg) => {
      const uri = await target(arg);
      return uri && generateClips(features, uri);
    }),
    run(Commands.generateClip, async (arg, ref, opts) => {
      const uri = await target(arg);
      if (!uri) return undefined;
      const clip = typeof ref === 'string' ? ref : await pickClip(features, uri);
      return clip && generateClips(features, uri, { clipRefs: [clip], regenerate: options(opts).regenerate });
    }),
    run(Commands.assembleStoryboard, async (arg, opts) => {
      const uri = await target(arg);
      return uri && assembleFilm(features, uri, options(opts));
    }),
    run(Commands.playClip, async (arg, ref) => {
      const uri = await target(arg);
      if (!uri) return undefined;
      const state = documents.stateOf(await documents.document(uri));
      const clip = typeof ref === 'string' ? findClip(state.plan.clips, ref) : undefined;
      if (!clip?.video) {
        void vscode.window.showInformationMessage(vscode.l10n.t('This clip has no video yet: generate it first.'));
        return undefined;
      }
      services.openPreview(clip.video.taskId);
      return clip.video.taskId;
    }),
    run(Commands.playStoryboard, async (arg) => {
      const uri = await target(arg);
      if (uri) panels.open(uri).play('all');
      return uri?.fsPath;
    }),
    run(Commands.openStoryboardView, async (arg) => {
      const uri = await target(arg);
      if (uri) panels.open(uri);
      return uri?.fsPath;
    }),
    // The chat card's and the Videos view's "Add to Storyboard": (task id, optional storyboard).
    run(Commands.addVideoToStoryboard, (taskId, file) => addVideoToStoryboard(documents, engine, taskId, file)),
    { dispose: () => batchesOf(engine).cancelAll() },
  ];
  const registration = vscode.Disposable.from(...disposables) as StoryboardRegistration;
  registration.viewHtml = (file) => panels.get(vscode.Uri.file(file))?.html;
  return registration;
}

async function pickClip(features: StoryboardFeatures, uri: vscode.Uri): Promise<string | undefined> {
  const state = features.documents.stateOf(await features.documents.document(uri));
  const picked = await vscode.window.showQuickPick(
    state.plan.clips.map((c) => ({ label: `${c.index + 1}. ${c.clip.title}`, description: c.clip.id, ref: c.clip.id ?? `#${c.index + 1}` })),
    { placeHolder: vscode.l10n.t('Which clip?') },
  );
  return picked?.ref;
}

/**
 * What the MCP server in this window knows about storyboards: new ones go into the workspace, older
 * records may name them relative to it, at most the setting's clips at once, and a storyboard Copilot
 * writes opens in the editor.
 */
export function storyboardMcpHooks(context: vscode.ExtensionContext, ownFiles: OwnFiles): StoryboardHooks {
  return {
    ownFiles,
    defaultDirectory: () => workspaceRoots()[0] ?? path.join(context.globalStorageUri.fsPath, 'storyboards'),
    roots: () => workspaceRoots(),
    maxConcurrentClips: () => maxConcurrentClips(),
    onWritten: (file, kind) => {
      if (kind === 'storyboard' && existsSync(file)) void vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true, preserveFocus: true });
    },
  };
}
