import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { describeModel, FAMILIES } from '../../catalog';
import { ParamError, validateGenerationParams } from '../../core/params';
import { JuxinError } from '../../juxin/errors';
import { ORIENTATIONS, SIZES } from '../../juxin/types';
import {
  AssembleError,
  SHOT_PROMPT_RULES,
  SrtError,
  StoryboardError,
  StoryboardFileError,
  assembleStoryboard,
  batchesOf,
  checkAbsolutePath,
  clipLabel,
  clipProgressValue,
  clipStatus,
  concernsStoryboard,
  draftFromSubtitles,
  ensureClipIds,
  filmPath,
  formatStoryboard,
  MAX_STORYBOARD_CLIPS,
  generateStoryboard,
  isClipBusy,
  ImagesNotAllowedError,
  parseStoryboard,
  readStoryboardFile,
  readSubtitleFile,
  saveStoryboardText,
  storyboardFileName,
  storyboardState,
  takenClipIds,
  writeNewFile,
  type ClipPlan,
  type ClipRun,
  type Language,
  type StoryboardDraft,
  type StoryboardState,
} from '../../storyboard';
import { clipStatusText, type ClipStatusWords } from '../../webview/model/clipStatus';
import { guarded, type ToolContext } from '../context';
import type { OwnFiles } from '../../util/safeWrite';
import { errorResult } from '../present';
import { ProgressReporter } from '../progress';
import { timeoutSchema } from '../schemas';

/** What the process serving the tools knows about storyboards: where to write, the workspace, how many clips at once. */
export interface StoryboardHooks {
  /** Where create_storyboard writes when no directory is given (stdio: <home>/storyboards; VS Code: the workspace). */
  defaultDirectory?: () => string | undefined;
  /** Workspace folders: records of older versions name a storyboard inside one relative to it. */
  roots?: () => readonly string[];
  /** At most this many clips in flight (default 3). */
  maxConcurrentClips?: () => number;
  /** A storyboard or a film was written (VS Code opens it). */
  onWritten?: (file: string, kind: 'storyboard' | 'film') => void;
  /** The films this program wrote (`WrittenFiles` on the home): only those are replaced when a film is assembled again. */
  ownFiles?: OwnFiles;
}

const EN_WORDS: ClipStatusWords = {
  invalid: 'has errors',
  missing: 'not generated',
  outdated: 'out of date',
  queued: 'queued',
  queuedAt: 'queued, position {0}',
  generating: 'generating {0}%',
  downloading: 'downloading',
  ready: 'ready',
  notSaved: 'ready but not saved: {0}',
  failed: 'failed: {0}',
  noReason: 'no reason given',
};

const STATUS_KINDS = ['invalid', 'missing', 'outdated', 'queued', 'generating', 'downloading', 'ready', 'notSaved', 'failed'] as const;

const fileSchema = z.string().min(1).max(4096).describe('The storyboard file: the absolute path create_storyboard returned (a "name.storyboard.md" file).');

const clipOutput = z.object({
  clip_id: z.string(),
  title: z.string(),
  /** 1-based place in the storyboard. */
  number: z.number(),
  status: z.enum(STATUS_KINDS),
  status_text: z.string(),
  task_id: z.string().optional(),
  local_path: z.string().optional(),
  error: z.string().optional().describe('Why it could not be started or why it failed, with what to change.'),
});
type ClipOutput = z.infer<typeof clipOutput>;

/** Each family's clip lengths, from the catalog (one line, for the schemas): "Veo 3.x: 8 s (fixed); Sora 2: …". */
const durations = FAMILIES.map((family) => {
  const lengths = [...new Set(family.known.flatMap((id) => describeModel(id)?.durations ?? []))].sort((a, b) => a - b);
  const fixed = family.known.every((id) => describeModel(id)?.fixedDuration);
  return `${family.name} (${family.known[0]}…): ${lengths.join(', ')} s${fixed ? ' (fixed)' : ''}${family.retiredOn ? `, retired ${family.retiredOn}` : ''}`;
}).join('; ');

const cueInput = z.object({
  start: z.number().min(0).max(3600).describe("Seconds from the clip's start."),
  end: z.number().min(0).max(3600).describe("Seconds from the clip's start."),
  text: z.string().min(1).max(500),
});

const clipInput = z.object({
  title: z.string().max(200).optional().describe('A short name for the clip, e.g. "Opening".'),
  prompt: z
    .string()
    .max(4000)
    .describe('The shots, 4–6 of them, the first a 1–2 s establishing shot; characters as @name from the cast. Do not repeat the style string.'),
  duration: z.number().int().optional().describe(`Seconds, when this clip differs from the storyboard's duration. Allowed: ${durations}.`),
  images: z.array(z.string()).max(6).optional().describe('Image URLs, or absolute paths of local images: what they mean depends on the model (list_models).'),
  first_frame: z
    .string()
    .max(4096)
    .optional()
    .describe('The first frame (models whose images are frames, e.g. Veo 3.1, Jimeng): an image URL or an absolute local path.'),
  last_frame: z.string().max(4096).optional().describe('The last frame, with first_frame (Veo 3.1, Jimeng): an image URL or an absolute local path.'),
  subtitles: z.array(cueInput).max(100).optional().describe("The subtitle lines this clip covers, timed from the clip's start (seconds)."),
});

/** Errors of the storyboard modules carry their own Chinese; the rest go to the shared mapping. */
function storyboardErrorResult(error: unknown): CallToolResult | undefined {
  if (
    error instanceof StoryboardError ||
    error instanceof StoryboardFileError ||
    error instanceof AssembleError ||
    error instanceof SrtError ||
    error instanceof ImagesNotAllowedError
  ) {
    return errorResult(`${error.message}\n${error.messageZh}`);
  }
  return undefined;
}

/** A clip that could not be started, said for the model: what happened and what to change, both languages. */
function describeFailure(error: unknown): string {
  if (error instanceof JuxinError) return error.describe();
  if (error instanceof ParamError) return `${error.message} ${error.messageZh}`;
  if (error instanceof Error) {
    const zh = (error as { messageZh?: unknown }).messageZh;
    return typeof zh === 'string' ? `${error.message} ${zh}` : error.message;
  }
  return String(error);
}

function clipOutputOf(plan: ClipPlan, run?: ClipRun): ClipOutput {
  const status = clipStatus(plan);
  const task = plan.running ?? plan.video ?? plan.failed;
  const out: ClipOutput = {
    clip_id: plan.clip.id ?? '',
    title: plan.clip.title,
    number: plan.index + 1,
    status: status.kind,
    status_text: clipStatusText(status, EN_WORDS),
  };
  if (task) out.task_id = task.taskId;
  if (plan.state === 'ready' && plan.video?.localFile) out.local_path = plan.video.localFile;
  if (status.kind === 'failed') {
    out.error = `${out.status_text}. Change the clip's prompt (no real people, no copyrighted characters), then call generate_storyboard with clip_ids ["${out.clip_id}"]. 生成失败：请修改该片段的提示词后，用 clip_ids 重新生成。`;
  }
  if (run?.state === 'error') out.error = describeFailure(run.error);
  return out;
}

/** "2/5 ready · clip 3/5 generating 42% · clip 4/5 queued" */
function progressLine(clips: readonly ClipPlan[], total: number): string {
  const statuses = clips.map((c) => ({ plan: c, status: clipStatus(c) }));
  const ready = statuses.filter((s) => s.status.kind === 'ready').length;
  const busy = statuses.filter((s) => isClipBusy(s.status)).map((s) => `clip ${s.plan.index + 1}/${total} ${clipStatusText(s.status, EN_WORDS)}`);
  return [`${ready}/${clips.length} ready`, ...busy].join(' · ');
}

function resultText(lines: string[]): CallToolResult['content'] {
  return [{ type: 'text', text: lines.filter(Boolean).join('\n') }];
}

/** create_storyboard, generate_storyboard, assemble_storyboard and the storyboard_from_script prompt. */
export function registerStoryboardTools(server: McpServer, ctx: ToolContext, hooks: StoryboardHooks = {}): void {
  const roots = () => hooks.roots?.() ?? [];
  const batches = batchesOf(ctx.engine);
  const run = (body: () => Promise<CallToolResult>, needsKey = false) =>
    guarded(
      ctx,
      async () => {
        try {
          return await body();
        } catch (error) {
          const result = storyboardErrorResult(error);
          if (result) return result;
          throw error;
        }
      },
      needsKey,
    );

  server.registerTool(
    'create_storyboard',
    {
      title: 'Create storyboard',
      description:
        'Write a storyboard (分镜) file: a short film as a list of clips, each one video with its prompt, length and subtitle lines, plus settings every clip shares ' +
        '(model, aspect ratio, resolution, a style string appended to every prompt, and the cast: recurring characters written @name in prompts, sent as their Sora @username so they look the same in every clip). ' +
        `Clip lengths depend on the model: ${durations}. ` +
        "Give the clips, or subtitles_file (an .srt: its lines are cut into clips by time and each prompt starts as the lines' text). Free and instant; nothing is generated. " +
        'Then call generate_storyboard with the returned path, then assemble_storyboard. The person can open and edit the file (VS Code shows it with a status per clip). ' +
        'See the storyboard_from_script prompt for how to write the clips.',
      inputSchema: {
        title: z.string().min(1).max(200).describe("The film's title (also the file name)."),
        clips: z.array(clipInput).max(MAX_STORYBOARD_CLIPS).optional().describe('The clips in order. Leave out when subtitles_file is given.'),
        subtitles_file: z.string().max(4096).optional().describe('Absolute path of an .srt file to draft the clips from (instead of clips).'),
        model: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .describe('Any video model this key can use (list_models says which and what each takes), e.g. "veo3.1-fast". Default: the default model.'),
        aspect_ratio: z.string().max(10).optional().describe('"16:9", "9:16", "3:2"…: one the model takes (list_models). Default: landscape.'),
        resolution: z.enum(['720p', '1080p', '4k']).optional().describe("One the model takes (list_models). Default: the model's first."),
        orientation: z.enum(ORIENTATIONS).optional().describe('Older word for the shape: "landscape" or "portrait" (use aspect_ratio).'),
        size: z.enum(SIZES).optional().describe('Older word for the resolution: "small" (720p) or "large" (1080p) (use resolution).'),
        duration: z
          .number()
          .int()
          .optional()
          .describe(
            `Seconds of each clip that does not say otherwise (from subtitles: chosen per clip). Allowed: ${durations}. Default: the model's shortest.`,
          ),
        style: z
          .string()
          .max(1000)
          .optional()
          .describe('Appended to every clip\'s prompt so the clips look alike, e.g. "cinematic, 35mm film grain, warm light".'),
        cast: z
          .array(z.object({ name: z.string().min(1).max(40), username: z.string().min(1).max(100) }))
          .max(50)
          .optional()
          .describe('Recurring characters: the name used as @name in prompts, and the Sora character username (from create_character).'),
        directory: z
          .string()
          .max(4096)
          .optional()
          .describe("Absolute folder to write into. Default: the workspace in VS Code, else the server's storyboards folder."),
        language: z.enum(['en', 'zh']).optional().describe('Language of the comments in the file (default: Chinese when the clips are).'),
      },
      outputSchema: {
        path: z.string(),
        clips: z.array(z.object({ clip_id: z.string(), title: z.string(), duration: z.number() })),
        warnings: z.array(z.string()),
        film_path: z.string().describe('Where assemble_storyboard will write the film.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      run(async () => {
        const dirArg = args.directory ?? hooks.defaultDirectory?.();
        if (!dirArg) {
          return errorResult('Give a directory (an absolute folder) to write the storyboard into. 请提供保存分镜的文件夹（绝对路径）：directory。');
        }
        const directory = checkAbsolutePath(dirArg, { en: 'The folder', zh: '文件夹' });
        if (!args.clips?.length === !args.subtitles_file) {
          return errorResult('Give either clips or subtitles_file (an .srt), not both and not neither. 请提供 clips 或 subtitles_file（.srt）其中之一。');
        }
        // The storyboard's settings are checked against the model (the catalog) before anything is written.
        const checked = validateGenerationParams({
          prompt: 'x',
          model: args.model ?? ctx.defaults.model,
          aspectRatio: args.aspect_ratio,
          resolution: args.resolution,
          orientation: args.orientation,
          size: args.size,
          duration: args.duration,
        });
        const { model, orientation, size } = checked;
        const shape = {
          ...(checked.aspectRatio ? { aspectRatio: checked.aspectRatio } : {}),
          ...(checked.resolution ? { resolution: checked.resolution } : {}),
        };
        const cast = (args.cast ?? []).map((c) => ({
          name: c.name.trim().replace(/^@/, ''),
          username: c.username.startsWith('@') ? c.username : `@${c.username}`,
        }));
        let draft: StoryboardDraft;
        if (args.subtitles_file) {
          const srt = checkAbsolutePath(args.subtitles_file, { en: 'The subtitle file', zh: '字幕文件' });
          const cues = await readSubtitleFile(srt);
          const relative = path.relative(directory, srt).split(path.sep).join('/');
          draft = draftFromSubtitles(cues, { title: args.title, model, orientation, size, ...shape, style: args.style, cast, subtitles: relative }).draft;
          if (args.duration !== undefined) draft.defaults.duration = args.duration;
        } else {
          draft = {
            title: args.title,
            defaults: { model, orientation, size, ...shape, duration: checked.duration },
            style: args.style ?? '',
            cast,
            clips: args.clips!.map((c) => ({
              title: c.title ?? '',
              prompt: c.prompt,
              duration: c.duration,
              images: c.images ?? [],
              ...(c.first_frame ? { firstFrame: c.first_frame } : {}),
              ...(c.last_frame ? { lastFrame: c.last_frame } : {}),
              subtitles: (c.subtitles ?? []).map((s) => ({ start: Math.round(s.start * 1000), end: Math.round(s.end * 1000), text: s.text })),
            })),
          };
        }
        const language: Language = args.language ?? (/\p{Script=Han}/u.test(JSON.stringify(draft.clips)) ? 'zh' : 'en');
        const text = formatStoryboard(draft, { language });
        // Checked before anything is written: a storyboard with errors is refused whole, with every error.
        const parsed = parseStoryboard(text);
        const errors = parsed.problems.filter((p) => p.severity === 'error');
        if (errors.length) throw new StoryboardError(errors);
        await mkdir(directory, { recursive: true });
        const file = await writeNewFile(directory, storyboardFileName(args.title), text);
        hooks.onWritten?.(file, 'storyboard');
        const { storyboard } = parsed;
        const clips = storyboard.clips.map((c) => ({ clip_id: c.id!, title: c.title, duration: c.duration ?? storyboard.defaults.duration }));
        const warnings = parsed.problems.filter((p) => p.severity === 'warning').map((p) => `${p.message} ${p.messageZh}`);
        return {
          content: [
            ...resultText([
              `Storyboard written: ${file} (${clips.length} clips, ${clips.reduce((t, c) => t + c.duration, 0)} s).`,
              ...clips.map((c, i) => `- ${i + 1}. ${c.clip_id} ${c.title} (${c.duration} s)`),
              warnings.length ? `Warnings:\n${warnings.map((w) => `- ${w}`).join('\n')}` : '',
              'Next: generate_storyboard with this path (it costs money: one video per clip), then assemble_storyboard.',
            ]),
            { type: 'resource_link', uri: pathToFileURL(file).href, name: path.basename(file), mimeType: 'text/markdown', description: 'The storyboard file' },
          ],
          structuredContent: { path: file, clips, warnings, film_path: filmPath(file) },
        };
      }),
  );

  server.registerTool(
    'generate_storyboard',
    {
      title: 'Generate storyboard clips',
      description:
        "Generate a storyboard's clips: every clip that has no video yet or whose video is out of date (its prompt, the style, the cast or its settings changed), " +
        `at most a few at once; or only clip_ids (e.g. to retry a failed clip after changing its prompt). One video per clip: it costs money and takes minutes per clip. ` +
        'With wait=true (default) the call reports progress across the clips ("2/5 ready · clip 3/5 generating 42%") and returns when every clip is done or after timeout_seconds; ' +
        'clips keep generating after a timeout: call generate_storyboard again to keep waiting (a clip is never started twice). One failed clip does not stop the others. ' +
        "Every clip is made with the storyboard's model, aspect ratio and resolution; clip lengths are the model's (" +
        durations +
        '); a clip the model cannot make as written is reported at its line and not started. ' +
        'Returns each clip with its status, task_id, local_path or error. Then call assemble_storyboard.',
      inputSchema: {
        file: fileSchema,
        clip_ids: z
          .array(z.string().min(1).max(40))
          .max(MAX_STORYBOARD_CLIPS)
          .optional()
          .describe('Only these clips (their ids, e.g. ["c3"]). Default: every missing and out-of-date clip.'),
        regenerate: z.boolean().optional().describe('With clip_ids: make a new video even for clips whose video is ready.'),
        wait: z.boolean().optional().describe('Default true: wait for the clips, with progress. false: start them and return at once.'),
        timeout_seconds: timeoutSchema.optional(),
      },
      outputSchema: {
        path: z.string(),
        clips: z.array(clipOutput),
        started: z.array(z.string()).describe('Clip ids started by this call.'),
        counts: z.record(z.string(), z.number()),
        timed_out: z.boolean().optional(),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (args, extra) =>
      run(async () => {
        const read = await readStoryboardFile(args.file);
        const { file } = read;
        const before = storyboardState(read.text, file, ctx.engine.list({}), roots());
        // Ids are given in memory now and written into the file only once every check has passed.
        const text = ensureClipIds(read.text, { taken: takenClipIds(before.records) });
        const base = ctx.origin();
        // Past a daily limit the person is asked once for the whole batch (elicitation), before any clip is sent.
        const generation = await generateStoryboard({
          engine: ctx.engine,
          batches,
          file,
          text,
          roots: roots(),
          clipIds: args.clip_ids,
          regenerate: args.regenerate,
          origin: { ...base, kind: 'storyboard', storyboard: before.key },
          maxInFlight: hooks.maxConcurrentClips?.() ?? 3,
          approveSpend: ctx.approveSpend({ requestId: extra.requestId, signal: extra.signal }),
          allowImageFolder: ctx.confirm ? (folder) => ctx.confirm!({ kind: 'readImages', folder, client: ctx.clientName() }) : undefined,
          beforeStart: text === read.text ? undefined : () => saveStoryboardText(read, text),
        });
        if (generation.unknownIds.length) {
          const known = generation.state.plan.clips.map((c) => c.clip.id).join(', ');
          return errorResult(
            `This storyboard has no clip ${generation.unknownIds.join(', ')}: its clips are ${known}. 分镜中没有片段 ${generation.unknownIds.join('、')}，现有片段：${known}。`,
          );
        }
        const invalid = generation.skipped.filter((s) => s.why === 'invalid');
        if (invalid.length && !generation.targets.length && !generation.skipped.some((s) => s.why === 'running')) {
          const problems = generation.state.parsed.problems.filter((p) => p.severity === 'error');
          throw new StoryboardError(problems);
        }
        const started = generation.targets.map((c) => c.clip.id!);
        // Waited for: the clips this call started and those already in flight.
        const scope = new Set([...started, ...generation.skipped.filter((s) => s.why === 'running').map((s) => s.plan.clip.id!)]);
        const current = () => storyboardState(text, file, ctx.engine.list({}), roots());
        const inScope = (s: StoryboardState) => s.plan.clips.filter((c) => scope.has(c.clip.id ?? ''));
        const runs = () => new Map((generation.batch?.runs ?? []).map((r) => [r.job.clipId, r]));

        const reporter = new ProgressReporter({ progressToken: extra._meta?.progressToken, send: extra.sendNotification, keepAliveMs: ctx.keepAliveMs });
        let timedOut = false;
        if (scope.size) {
          const report = () => {
            const clips = inScope(current());
            const value = clips.reduce((t, c) => t + clipProgressValue(clipStatus(c)), 0) / Math.max(1, clips.length);
            reporter.set(Math.min(99, value), progressLine(clips, generation.state.plan.clips.length));
          };
          const finished = () => {
            const batchRuns = runs();
            return (
              (!generation.batch || generation.batch.settled) &&
              inScope(current()).every((c) => !isClipBusy(clipStatus(c)) || batchRuns.get(c.clip.id ?? '')?.state === 'error')
            );
          };
          const startedAll = () => ![...runs().values()].some((r) => scope.has(r.job.clipId) && r.state === 'starting');
          report();
          reporter.start();
          try {
            timedOut = await waitUntil({
              done: args.wait === false ? startedAll : finished,
              subscribe: (check) => {
                const off = ctx.engine.onDidChange((task) => {
                  if (!concernsStoryboard(task, file, roots())) return;
                  report();
                  check();
                });
                const offBatch = generation.batch?.onDidChange(() => {
                  report();
                  check();
                });
                return () => {
                  off();
                  offBatch?.();
                };
              },
              timeoutMs: args.wait === false ? 60_000 : (args.timeout_seconds ?? 600) * 1000,
              signal: extra.signal,
            });
          } finally {
            reporter.stop();
          }
        }

        const final = current();
        const batchRuns = runs();
        const clips = final.plan.clips.map((c) => clipOutputOf(c, batchRuns.get(c.clip.id ?? '')));
        const counts: Record<string, number> = {};
        for (const c of clips) counts[c.status] = (counts[c.status] ?? 0) + 1;
        const inThisCall = clips.filter((c) => scope.has(c.clip_id));
        const failed = inThisCall.filter((c) => c.error);
        const skippedLines = generation.skipped
          .filter((s) => s.why !== 'running' && (args.clip_ids?.length || s.why !== 'ready'))
          .map((s) => `- ${clipLabel(s.plan)}: not started (${clipStatusText(clipStatus(s.plan), EN_WORDS)})`);
        const stillRunning = inThisCall.some((c) => ['queued', 'generating', 'downloading'].includes(c.status));
        return {
          content: resultText([
            scope.size
              ? `${started.length ? `Started ${started.length} clip(s)` : 'No new clip started'}; ${counts.ready ?? 0} of ${clips.length} clips ready.`
              : 'Nothing to generate: every clip is ready, running, failed (retry it with clip_ids) or has errors.',
            ...clips.map(
              (c) =>
                `- ${c.number}. ${c.clip_id} ${c.title}: ${c.status_text}${c.local_path ? ` → ${c.local_path}` : ''}${c.error && c.status !== 'failed' ? ` — ${c.error}` : ''}`,
            ),
            ...skippedLines,
            timedOut || (stillRunning && args.wait === false)
              ? 'Clips are still generating: call generate_storyboard again with the same file to keep waiting (nothing is started twice).'
              : '',
            !stillRunning && (counts.ready ?? 0) > 0 ? 'Next: assemble_storyboard joins the ready clips into the film.' : '',
          ]),
          structuredContent: { path: file, clips, started, counts, ...(timedOut ? { timed_out: true } : {}) },
          isError: failed.length > 0 && failed.length === inThisCall.length ? true : undefined,
        };
      }, true),
  );

  server.registerTool(
    'assemble_storyboard',
    {
      title: 'Assemble storyboard film',
      description:
        "Join a storyboard's ready clips, in order, into one MP4 film (without re-encoding when the clips match, as clips of one model, size and orientation do), " +
        "with the clips' subtitle lines retimed into an .srt beside it and a soft subtitle track. Clips not ready are left out (and named). Takes seconds; free. " +
        'Replaces only a film it wrote itself (assembling again updates it), never another file. ' +
        'Returns the film path and a link to it.',
      inputSchema: {
        file: fileSchema,
        output: z
          .string()
          .max(4096)
          .optional()
          .describe(
            'Absolute path of the film (.mp4), a new file: an existing file there is never replaced unless it is a film this server wrote. Default: beside the storyboard, "name.film.mp4".',
          ),
      },
      outputSchema: {
        path: z.string().describe('The film (MP4).'),
        subtitles_path: z.string().optional(),
        duration_seconds: z.number(),
        method: z.enum(['remux', 'ffmpeg']).describe('remux: joined without re-encoding; ffmpeg: re-encoded because the clips differ.'),
        clips: z.array(z.object({ clip_id: z.string(), title: z.string(), start_seconds: z.number(), duration_seconds: z.number() })),
        skipped: z.array(clipOutput).describe('Clips left out because they are not ready.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args, extra) =>
      run(async () => {
        let output: string | undefined;
        if (args.output) {
          output = checkAbsolutePath(args.output, { en: 'The film', zh: '成片' });
          if (!/\.mp4$/i.test(output)) return errorResult(`The film must be an .mp4 file, not ${JSON.stringify(output)}. 成片必须是 .mp4 文件。`);
        }
        const { file, text } = await readStoryboardFile(args.file);
        const { plan } = storyboardState(text, file, ctx.engine.list({}), roots());
        const reporter = new ProgressReporter({ progressToken: extra._meta?.progressToken, send: extra.sendNotification, keepAliveMs: ctx.keepAliveMs });
        reporter.start();
        let film;
        try {
          film = await assembleStoryboard({
            file,
            plan,
            output,
            ownFiles: hooks.ownFiles,
            signal: extra.signal,
            onProgress: (f) => reporter.set(Math.min(99, f * 100), `joining ${plan.ready.length} clips`),
          });
        } finally {
          reporter.stop();
        }
        hooks.onWritten?.(film.output, 'film');
        const clips = film.used.map((c, i) => ({
          clip_id: c.clip.id ?? '',
          title: c.clip.title,
          start_seconds: round(film.layout[i].start),
          duration_seconds: round(film.layout[i].duration),
        }));
        const skipped = film.skipped.map((c) => clipOutputOf(c));
        const content: CallToolResult['content'] = [
          ...resultText([
            `Film written: ${film.output} (${round(film.duration)} s, ${clips.length} clips, ${film.method === 'remux' ? 'joined without re-encoding' : 're-encoded with ffmpeg because the clips differ'}).`,
            film.subtitlesFile ? `Subtitles: ${film.subtitlesFile}` : '',
            skipped.length ? `Left out (not ready): ${skipped.map((s) => `${s.clip_id} ${s.title} (${s.status_text})`).join(', ')}.` : '',
          ]),
          { type: 'resource_link', uri: pathToFileURL(film.output).href, name: path.basename(film.output), mimeType: 'video/mp4', description: 'The film' },
        ];
        if (film.subtitlesFile) {
          content.push({
            type: 'resource_link',
            uri: pathToFileURL(film.subtitlesFile).href,
            name: path.basename(film.subtitlesFile),
            mimeType: 'application/x-subrip',
          });
        }
        return {
          content,
          structuredContent: {
            path: film.output,
            ...(film.subtitlesFile ? { subtitles_path: film.subtitlesFile } : {}),
            duration_seconds: round(film.duration),
            method: film.method,
            clips,
            skipped,
          },
        };
      }),
  );

  server.registerPrompt(
    'storyboard_from_script',
    {
      title: 'Storyboard from a script or subtitles',
      description: 'Turn a script or an SRT into a storyboard of video clips (分镜), generate them and join them into one film.',
      argsSchema: {
        script: z.string().describe('The script, or the text of an .srt subtitle file (or the absolute path of an .srt file).'),
        model: z.string().optional().describe(`The video model (list_models); clip lengths: ${durations}.`),
        style: z.string().optional().describe('A style string for every clip, e.g. "cinematic, 35mm film grain".'),
        language: z.string().optional().describe("en or zh: the language of these instructions (default: the script's)."),
      },
    },
    ({ script, model, style, language }) => {
      const lang: Language = language === 'zh' || (language !== 'en' && /\p{Script=Han}/u.test(script)) ? 'zh' : 'en';
      const chosen = model && describeModel(model) ? model : ctx.defaults.model;
      return { messages: [{ role: 'user', content: { type: 'text', text: storyboardInstructions(lang, chosen, style, script) } }] };
    },
  );
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The whole method, for an agent: cut, write the shots by the rules, create, generate, assemble. */
export function storyboardInstructions(language: Language, model: string, style: string | undefined, script: string): string {
  const lengths = describeModel(model)?.durations ?? [10];
  const longest = Math.max(...lengths);
  const allowed = lengths.join(language === 'zh' ? ' 或 ' : ' or ');
  const isSrtPath = /^(\/|[A-Za-z]:\\).*\.srt\s*$/i.test(script.trim());
  if (language === 'zh') {
    return [
      `请把下面的${isSrtPath ? '字幕文件' : '剧本或字幕'}做成一部由视频片段组成的短片（分镜），生成所有片段并拼接成片。`,
      '',
      '步骤：',
      `1. 切分：按时间把内容切成若干片段，每段不超过 ${longest} 秒（${model} 的片段时长只能是 ${allowed} 秒），尽量在句子结束和较长停顿处切开，片段越少越好。`,
      isSrtPath
        ? `   这是一个 .srt 文件路径：可以直接调用 create_storyboard，传 subtitles_file="${script.trim()}"，它会按时间切好片段，每个片段的提示词先是字幕原文；然后按第 2 步改写每个片段的提示词（编辑文件中该片段的文字）。`
        : '   如果是 SRT，每个片段保留它覆盖的字幕行（subtitles），时间从片段开头算起（秒）。',
      '2. 为每个片段按以下规则写提示词：',
      SHOT_PROMPT_RULES.zh,
      `3. 反复出现的角色：如果已有 Sora 角色（create_character 返回的 @用户名），放进 cast（名字 → 用户名），提示词里写 @名字。`,
      `4. 调用 create_storyboard（title、model="${model}"${style ? `、style="${style}"` : '、style（一段统一的画面风格描述）'}、cast、clips）。`,
      '5. 调用 generate_storyboard（file=返回的路径）。每个片段都要花钱、需要几分钟；超时后再次调用即可继续等待，不会重复生成。失败的片段：修改提示词后用 clip_ids 单独重试。',
      '6. 调用 assemble_storyboard 拼接成片，把成片路径告诉用户。',
      '',
      isSrtPath ? `字幕文件：${script.trim()}` : `内容：\n${script}`,
    ].join('\n');
  }
  return [
    `Make the ${isSrtPath ? 'subtitle file' : 'script or subtitles'} below into a short film of video clips (a storyboard), generate every clip and join them into one film.`,
    '',
    'Steps:',
    `1. Cut it by time into clips of at most ${longest} s each (a ${model} clip lasts ${allowed} s), at sentence ends and long pauses where you can, as few clips as fit.`,
    isSrtPath
      ? `   This is the path of an .srt file: call create_storyboard with subtitles_file="${script.trim()}" and it cuts the clips for you, each prompt starting as its lines' text; then rewrite each clip's prompt by step 2 (edit the clip's text in the file).`
      : "   From an SRT, keep each clip's subtitle lines (subtitles), timed from the clip's start, in seconds.",
    "2. Write each clip's prompt by these rules:",
    SHOT_PROMPT_RULES.en,
    '3. Recurring characters: if they exist as Sora characters (an @username from create_character), list them in cast (name → username) and write @name in the prompts.',
    `4. Call create_storyboard (title, model="${model}", ${style ? `style="${style}"` : 'style (one look for every clip)'}, cast, clips).`,
    '5. Call generate_storyboard with the returned file. Every clip costs money and takes minutes; after a timeout call it again to keep waiting (nothing is generated twice). A failed clip: change its prompt, then retry it alone with clip_ids.',
    '6. Call assemble_storyboard to join the film, and tell the person where it is.',
    '',
    isSrtPath ? `Subtitle file: ${script.trim()}` : `The content:\n${script}`,
  ].join('\n');
}

/** Resolves true at the timeout, false when `done` holds (checked at once and after each event) or the signal aborts. */
function waitUntil(options: { done: () => boolean; subscribe: (check: () => void) => () => void; timeoutMs: number; signal: AbortSignal }): Promise<boolean> {
  return new Promise((resolve) => {
    let finished = false;
    const finish = (timedOut: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      options.signal.removeEventListener('abort', onAbort);
      resolve(timedOut);
    };
    const check = () => {
      if (options.done()) finish(false);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(true), options.timeoutMs);
    const unsubscribe = options.subscribe(check);
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) onAbort();
    check();
  });
}
