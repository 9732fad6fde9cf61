import * as vscode from 'vscode';
import type { TaskRecord } from '../../core/types';
import type { TaskView } from '../../webview/protocol';
import { isChinese } from '../messages';
import { statusText } from '../progress';
import { readSettings } from '../settings';
import { isAllowedRemoteUrl } from './urls';

function failureHint(task: TaskRecord): string | undefined {
  if (task.status === 'failed') {
    return isChinese()
      ? '请修改提示词（不要出现真人或受版权保护的角色）后点“重试”。'
      : 'Change the prompt (no real people, no copyrighted characters) and retry.';
  }
  if (task.download.state === 'failed' || task.download.state === 'expired') {
    return isChinese() ? '点“下载”重新获取视频。' : 'Press Download to fetch it again.';
  }
  return undefined;
}

/** A task reduced to what a webview shows. */
export function toTaskView(task: TaskRecord): TaskView {
  const p = task.params;
  const { baseUrl } = readSettings();
  return {
    id: task.id,
    prompt: p.prompt,
    params: [p.model, p.orientation === 'portrait' ? vscode.l10n.t('portrait') : vscode.l10n.t('landscape'), p.size, `${p.duration}s`, p.private ? vscode.l10n.t('private') : vscode.l10n.t('public'), p.images.length ? vscode.l10n.t('{0} image(s)', p.images.length) : '']
      .filter(Boolean)
      .join(' · '),
    status: task.status,
    statusText: statusText(task),
    progress: task.status === 'completed' ? 100 : Math.round(task.progress),
    failureReason: task.status === 'failed' ? task.failureReason || vscode.l10n.t('no reason given') : task.download.error,
    hint: failureHint(task),
    downloaded: task.download.state === 'done',
    hasUrl: Boolean(task.videoUrl),
    canRemix: task.status === 'completed' && !p.private,
    thumbnail: isAllowedRemoteUrl(task.thumbnailUrl, baseUrl) ? task.thumbnailUrl : undefined,
    created: new Date(task.createdAt).toLocaleString(vscode.env.language),
    source: task.source === 'mcp' ? 'Copilot / MCP' : task.source === 'vscode' ? vscode.l10n.t('Command Palette') : task.source,
  };
}
