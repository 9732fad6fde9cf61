import { isActive } from '../../core/phase';
import { fill } from '../model/format';
import { shapeSummary, toTaskModel, type ProgressModel, type Tone } from '../model/taskModel';
import type { CardAction, CardState } from './protocol';
import type { CardStrings } from './strings';

/** What the card's buttons do: the server's actions, plus remix (through the remix_video tool). */
export type CardButton = CardAction | 'remix';

/** What the card shows, every string final, in the card's language. DOM-free, so it is unit-tested. */
export interface CardView {
  prompt: string;
  params: string;
  statusText: string;
  tone: Tone;
  progress: ProgressModel | undefined;
  /** What went wrong (as Juxin said it), and what to do about it. */
  failure: string | undefined;
  advice: string | undefined;
  /** A passing problem while tracking (rate limit, network…), with its next step. */
  problem: string | undefined;
  /** A line under the player: too large to play here, or why there is no sound. */
  notice: string | undefined;
  /** The video has AAC sound this host cannot play. */
  silentHere: boolean;
  buttons: { action: CardButton; label: string; primary: boolean }[];
  /** Nothing more will happen without the user: the card stops asking. */
  settled: boolean;
}

/** The arguments of the tool call the card belongs to (only what a generation call may carry). */
export interface CallArguments {
  task_id?: unknown;
  prompt?: unknown;
  model?: unknown;
  aspect_ratio?: unknown;
  orientation?: unknown;
  duration?: unknown;
}

/** Can this host play the video's sound? `undefined`: unknown (no sound track, or not asked yet). */
export type CanPlayAudio = (codecString: string) => boolean;

/**
 * The card for a state from the server. Before the task exists (a generation call still talking to
 * Juxin) it shows the call's own prompt and parameters; a start error replaces everything.
 */
export function toCardView(state: CardState | undefined, call: CallArguments, s: CardStrings, canPlayAudio: CanPlayAudio): CardView {
  const task = state?.task;
  if (!task) return startingView(state, call, s);
  const model = toTaskModel(task, s);
  const media = state.media;
  const audio = state.audio;
  const silentHere = Boolean(media && media.kind !== 'tooLarge' && audio && !canPlayAudio(audio.codecString ?? codecStringOf(audio.codec)));
  const notice = media?.kind === 'tooLarge' ? fill(s.tooLarge, (media.bytes / 1e6).toFixed(0)) : silentHere ? s.aacNote : undefined;
  return {
    prompt: task.prompt,
    params: model.params,
    statusText: model.statusText,
    tone: model.tone,
    progress: model.progress,
    failure: model.failure,
    advice: model.advice,
    problem: model.problem,
    notice,
    silentHere,
    buttons: cardButtons(state, s, silentHere),
    settled: !isActive(task),
  };
}

function startingView(state: CardState | undefined, call: CallArguments, s: CardStrings): CardView {
  // The call's own words until the task exists: what it names of the model, aspect ratio (or the older orientation) and length.
  const aspectRatio =
    typeof call.aspect_ratio === 'string'
      ? call.aspect_ratio
      : call.orientation === 'portrait'
        ? '9:16'
        : call.orientation === 'landscape'
          ? '16:9'
          : undefined;
  const params = shapeSummary(
    { model: typeof call.model === 'string' ? call.model : '', aspectRatio, duration: typeof call.duration === 'number' ? call.duration : undefined },
    s,
  );
  const failed = state?.startError;
  const missing = state?.missing === true;
  const generation = typeof call.task_id !== 'string';
  const waiting = generation ? s.starting : s.loading;
  const over = Boolean(failed) || missing;
  return {
    prompt: typeof call.prompt === 'string' ? call.prompt : '',
    params,
    statusText: missing ? s.missing : failed ? (generation ? s.startFailed : s.callFailed) : waiting,
    tone: failed ? 'error' : missing ? 'warning' : 'running',
    progress: over ? undefined : { value: undefined, label: waiting },
    failure: failed,
    advice: undefined,
    problem: undefined,
    notice: undefined,
    silentHere: false,
    buttons: [],
    settled: over,
  };
}

/** Open in the preview first (the primary one when the video cannot play here), then the rest. */
function cardButtons(state: CardState, s: CardStrings, silentHere: boolean): CardView['buttons'] {
  const has = (a: CardAction) => state.actions.includes(a);
  const playableHere = state.media !== undefined && state.media.kind !== 'tooLarge';
  const buttons: CardView['buttons'] = [];
  if (has('openPreview')) buttons.push({ action: 'openPreview', label: s.openPreview, primary: !playableHere });
  if (silentHere && has('playExternal')) buttons.push({ action: 'playExternal', label: s.playExternal, primary: true });
  if (has('copyUrl')) buttons.push({ action: 'copyUrl', label: s.copyUrl, primary: false });
  if (has('reveal')) buttons.push({ action: 'reveal', label: s.reveal, primary: false });
  if (state.canRemix) buttons.push({ action: 'remix', label: s.remixStart, primary: false });
  if (has('addToStoryboard')) buttons.push({ action: 'addToStoryboard', label: s.addToStoryboard, primary: false });
  return buttons;
}

/** When the MP4 gave only a codec name: the usual codec string for it. */
function codecStringOf(codec: string): string {
  return codec === 'aac' ? 'mp4a.40.2' : codec;
}
