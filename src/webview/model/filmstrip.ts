import type { ClipAction, ClipCardData, StoryboardPageState, StoryboardStrings } from '../storyboardProtocol';
import type { ClipStatus } from '../../storyboard/status';
import { clipStatusText, clipTone } from './clipStatus';
import { fill } from './format';

/**
 * The storyboard view's page model: DOM-free, so the cards, the header and the play queue are
 * tested without a browser. The extension sends clip data; this decides every string and button.
 */

/** What a clip offers, in the order shown: the same set the CodeLens offers. */
export function clipActions(status: ClipStatus, hasVideo: boolean): Exclude<ClipAction, 'reveal'>[] {
  const actions: Exclude<ClipAction, 'reveal'>[] = [];
  if (hasVideo) actions.push('play');
  switch (status.kind) {
    case 'missing':
      actions.push('generate');
      break;
    case 'outdated':
    case 'ready':
      actions.push('regenerate');
      break;
    case 'failed':
      actions.push('retry');
      break;
    case 'notSaved':
      actions.push('download', 'retry');
      break;
    default:
      break;
  }
  return actions;
}

export interface ClipCardModel {
  id: string;
  heading: string;
  duration: string;
  caption: string | undefined;
  statusText: string;
  tone: ReturnType<typeof clipTone>;
  /** 0..100, or undefined for a bar without a percentage; absent when nothing runs. */
  progress: { value: number | undefined } | undefined;
  actions: ClipAction[];
  primary: ClipAction | undefined;
  /** What stands for the clip: a frame of its video, the relay's thumbnail, or its number. */
  poster: { kind: 'video'; src: string } | { kind: 'image'; src: string } | { kind: 'none' };
}

export function toClipCard(clip: ClipCardData, s: StoryboardStrings): ClipCardModel {
  const { status } = clip;
  const busy = status.kind === 'queued' || status.kind === 'generating' || status.kind === 'downloading';
  const actions: ClipAction[] = [...clipActions(status, Boolean(clip.video)), 'reveal'];
  const preferred: ClipAction | undefined =
    status.kind === 'missing' ? 'generate' : status.kind === 'failed' ? 'retry' : status.kind === 'notSaved' ? 'download' : clip.video ? 'play' : undefined;
  return {
    id: clip.id,
    heading: `${clip.number}. ${clip.title || fill(s.clip, clip.number)}`,
    duration: fill(s.seconds, clip.duration),
    caption: clip.caption,
    statusText: clipStatusText(status, s.status),
    tone: clipTone(status),
    progress: busy ? { value: status.kind === 'generating' ? status.progress : undefined } : undefined,
    actions,
    primary: preferred && actions.includes(preferred) ? preferred : undefined,
    // A frame of the clip itself tells clips apart; the relay's thumbnail only until it is saved.
    poster: clip.video ? { kind: 'video', src: clip.video } : clip.thumbnail ? { kind: 'image', src: clip.thumbnail } : { kind: 'none' },
  };
}

export interface HeaderModel {
  title: string;
  summary: string;
  problems: string | undefined;
  generateAll: { label: string; enabled: boolean };
  assembleEnabled: boolean;
  playAllEnabled: boolean;
  film: { label: string } | undefined;
  empty: string | undefined;
}

export function toHeader(state: StoryboardPageState, s: StoryboardStrings): HeaderModel {
  const ready = state.clips.filter((c) => c.status.kind === 'ready').length;
  return {
    title: state.title || state.fileName,
    summary: fill(s.summary, ready, state.clips.length),
    problems: state.errors ? fill(s.problems, state.errors) : undefined,
    generateAll: { label: fill(s.generateAll, state.toGenerate), enabled: state.toGenerate > 0 },
    assembleEnabled: ready > 0,
    playAllEnabled: playList(state).length > 0,
    film: state.film ? { label: fill(s.film, state.film.name) } : undefined,
    empty: state.clips.length ? undefined : s.noClips,
  };
}

/** What "Play all" plays: every clip that has a video, in the storyboard's order. */
export function playList(state: StoryboardPageState): { clipId: string; src: string; number: number }[] {
  return state.clips.filter((c) => c.video).map((c) => ({ clipId: c.id, src: c.video!, number: c.number }));
}

/**
 * Plays clips one after another as one film before anything is joined: the page shows `current` and
 * preloads `upcoming` in a second, hidden player, so the next clip starts without a gap.
 */
export class PlayQueue {
  private index = 0;

  constructor(private readonly items: readonly { clipId: string; src: string; number: number }[]) {}

  static from(state: StoryboardPageState, startAt?: string): PlayQueue {
    const queue = new PlayQueue(playList(state));
    if (startAt)
      queue.index = Math.max(
        0,
        queue.items.findIndex((i) => i.clipId === startAt),
      );
    return queue;
  }

  get length(): number {
    return this.items.length;
  }

  get position(): number {
    return this.index;
  }

  get current(): { clipId: string; src: string; number: number } | undefined {
    return this.items[this.index];
  }

  /** The clip after the current one: what to preload. */
  get upcoming(): { clipId: string; src: string; number: number } | undefined {
    return this.items[this.index + 1];
  }

  /** Moves on; undefined at the end. */
  next(): { clipId: string; src: string; number: number } | undefined {
    if (this.index < this.items.length) this.index++;
    return this.current;
  }

  /** "Playing clip 2 of 5" (the clip's place among the clips that play). */
  label(s: StoryboardStrings): string {
    return fill(s.nowPlaying, this.index + 1, this.items.length);
  }
}
