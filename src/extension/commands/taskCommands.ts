import * as vscode from 'vscode';
import { shapeLine, videoShape } from '../../catalog';
import type { TaskRecord } from '../../core/types';
import { parseTimestamps } from '../../juxin/client';
import { isHttpUrl } from '../../juxin/images';
import { describeError } from '../messages';
import { statusText } from '../progress';
import type { Services } from '../services';
import { validateGenerationParams } from '../../core/params';
import { readSettings } from '../settings';
import { openSpendSettings } from '../spendPrompt';
import { generateArg, parseArg, remixArg, taskRefArg } from './args';
import { confirmPaidGeneration, refuseArgument } from './confirm';
import { generateVideo } from './generate';
import { Commands } from './ids';
import { remixable, remixTask, removeTask, retryTask } from './taskActions';

/** The task named by the argument (an id or `{ taskId }`), or a quick pick of the tasks that fit. */
async function resolveTask(services: Services, arg: unknown, fits: (t: TaskRecord) => boolean, placeholder: string): Promise<TaskRecord | undefined> {
  const engine = services.host.engine;
  if (arg !== undefined) {
    const parsed = parseArg(taskRefArg, arg);
    if (!parsed.ok) return refuseArgument(vscode.l10n.t('A Sora command'), parsed.problem);
    const task = engine.get(parsed.value);
    if (!task) void vscode.window.showErrorMessage(vscode.l10n.t('No video task with id {0}.', parsed.value));
    return task;
  }
  const tasks = engine.list({}).filter(fits);
  if (!tasks.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No matching videos yet. Run "AI Video: Generate Video…" to make one.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    tasks.map((t) => ({
      label: t.params.prompt.slice(0, 80),
      description: statusText(t),
      detail: `${shapeLine(videoShape(t.params), (n) => vscode.l10n.t('{0} s', n))} · ${new Date(t.createdAt).toLocaleString()}`,
      task: t,
    })),
    { placeHolder: placeholder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.task;
}

const done = (t: TaskRecord) => t.status === 'completed';

export function registerTaskCommands(services: Services): vscode.Disposable[] {
  const engine = services.host.engine;
  // Registered at activation, before the history is read: a command acts on the whole of it, so it
  // waits for it, unless `now` (showing the view, which waits for the history in its own way).
  const run = (id: string, fn: (arg?: unknown) => Promise<unknown>, now = false) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      try {
        if (!now) await services.host.ready;
        return await fn(arg);
      } catch (error) {
        services.logger.error(`${id} failed: ${error instanceof Error ? error.message : error}`);
        void vscode.window.showErrorMessage(describeError(error));
        return undefined;
      }
    });

  return [
    // Without an argument: the questions (palette, view title, walkthrough). With one: somebody else's
    // request, read through its schema and confirmed, whatever it says.
    run(Commands.generate, async (arg) => {
      if (arg === undefined) return generateVideo(services);
      const parsed = parseArg(generateArg, arg);
      if (!parsed.ok) return refuseArgument(Commands.generate, parsed.problem);
      const { usable } = await services.host.engine.models().catch(() => ({ usable: undefined }));
      const params = validateGenerationParams(parsed.value, readSettings().defaults, usable);
      if (!(await confirmPaidGeneration(params))) return undefined;
      return generateVideo(services, params);
    }),
    run(Commands.showVideos, async () => vscode.commands.executeCommand('juxinSora.videos.focus'), true),
    run(Commands.openVideo, async (arg) => {
      const task = await resolveTask(services, arg, () => true, vscode.l10n.t('Which video?'));
      if (task) services.openPreview(task.id);
      return task?.id;
    }),
    run(Commands.openFile, async (arg) => {
      const task = await resolveTask(services, arg, (t) => t.download.state === 'done', vscode.l10n.t('Which video file?'));
      if (task?.download.localPath) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(task.download.localPath));
    }),
    run(Commands.downloadVideo, async (arg) => {
      const task = await resolveTask(services, arg, done, vscode.l10n.t('Download which video?'));
      if (!task) return undefined;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading the video…') }, () =>
        engine.download(task.id),
      );
      if (result.download.state === 'done') void vscode.window.showInformationMessage(vscode.l10n.t('Saved to {0}', result.download.localPath!));
      else void vscode.window.showErrorMessage(vscode.l10n.t('The download failed: {0}', result.download.error ?? ''));
      return result.download.localPath;
    }),
    run(Commands.copyVideoUrl, async (arg) => {
      const task = await resolveTask(services, arg, (t) => !!t.videoUrl, vscode.l10n.t('Copy the URL of which video?'));
      if (!task?.videoUrl) return undefined;
      await vscode.env.clipboard.writeText(task.videoUrl);
      void vscode.window.showInformationMessage(vscode.l10n.t('Video URL copied. It expires after a few hours; the downloaded file does not.'));
      return task.videoUrl;
    }),
    run(Commands.revealInOS, async (arg) => {
      const task = await resolveTask(services, arg, (t) => t.download.state === 'done', vscode.l10n.t('Reveal which video?'));
      if (task?.download.localPath) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(task.download.localPath));
    }),
    // Desktop VS Code's webviews cannot play AAC sound (microsoft/vscode#167685): the system's player can.
    run(Commands.playInSystemPlayer, async (arg) => {
      const task = await resolveTask(services, arg, (t) => t.download.state === 'done', vscode.l10n.t('Play which video?'));
      if (task?.download.localPath) await vscode.env.openExternal(vscode.Uri.file(task.download.localPath));
      return task?.id;
    }),
    run(Commands.remixVideo, async (arg) => {
      if (arg !== undefined) {
        const parsed = parseArg(remixArg, arg);
        if (!parsed.ok) return refuseArgument(Commands.remixVideo, parsed.problem);
        const { taskId, prompt } = parsed.value;
        const task = engine.get(taskId);
        // A change nobody typed here is confirmed; otherwise the user types it in the input box.
        if (task && prompt !== undefined && remixable(task) && !task.params.private) {
          const params = validateGenerationParams({ ...task.params, prompt });
          if (!(await confirmPaidGeneration(params, { prompt: task.params.prompt }))) return undefined;
        }
        return remixTask(services, taskId, prompt);
      }
      const task = await resolveTask(
        services,
        undefined,
        (t) => done(t) && remixable(t) && !t.params.private,
        vscode.l10n.t('Remix which video? (only public Sora videos can be remixed)'),
      );
      return task && remixTask(services, task.id);
    }),
    run(Commands.createCharacter, async () => {
      const source = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('From one of my finished videos'), value: 'task' as const },
          { label: vscode.l10n.t('From a video URL…'), value: 'url' as const },
        ],
        { placeHolder: vscode.l10n.t('Where is the character?') },
      );
      if (!source) return undefined;
      let from: { url: string } | { fromTask: string };
      if (source.value === 'task') {
        const task = await resolveTask(services, undefined, done, vscode.l10n.t('Which video shows the character?'));
        if (!task) return undefined;
        from = { fromTask: task.id };
      } else {
        const url = await vscode.window.showInputBox({
          prompt: vscode.l10n.t('Video URL (https://…)'),
          validateInput: (v) => (isHttpUrl(v) ? undefined : vscode.l10n.t('Enter an http(s) URL.')),
        });
        if (!url) return undefined;
        from = { url: url.trim() };
      }
      const timestamps = await vscode.window.showInputBox({
        prompt: vscode.l10n.t('When is the character visible? "start,end" in seconds, 1–3 s apart'),
        value: '1,3',
        validateInput: (v) => (parseTimestamps(v) ? undefined : vscode.l10n.t('Use "start,end" with 1 to 3 seconds between them, e.g. 1,3.')),
      });
      if (!timestamps) return undefined;
      const character = await engine.createCharacter(from, timestamps.trim());
      const mention = `@${character.username}`;
      await vscode.env.clipboard.writeText(mention);
      void vscode.window.showInformationMessage(vscode.l10n.t('Character created: {0} (copied). Put it in a prompt to feature the character.', mention));
      return mention;
    }),
    run(Commands.retry, async (arg) => {
      if (arg === undefined) {
        const task = await resolveTask(services, undefined, (t) => t.status === 'failed' || done(t), vscode.l10n.t('Retry which video?'));
        return task && retryTask(services, task.id);
      }
      const parsed = parseArg(taskRefArg, arg);
      if (!parsed.ok) return refuseArgument(Commands.retry, parsed.problem);
      const task = engine.get(parsed.value);
      if (!task) return refuseArgument(Commands.retry, vscode.l10n.t('No video task with id {0}.', parsed.value));
      if (!(await confirmPaidGeneration(validateGenerationParams(task.params)))) return undefined;
      return retryTask(services, task.id);
    }),
    run(Commands.openSpendSettings, async () => openSpendSettings()),
    // Always asks (the modal names what goes); `{ confirm: false }` from a caller is read past.
    run(Commands.removeFromHistory, async (arg) => {
      if (arg === undefined) {
        const task = await resolveTask(services, undefined, () => true, vscode.l10n.t('Remove which video from the history?'));
        return task && removeTask(services, task.id);
      }
      const parsed = parseArg(taskRefArg, arg);
      if (!parsed.ok) return refuseArgument(Commands.removeFromHistory, parsed.problem);
      return removeTask(services, parsed.value);
    }),
  ];
}
