import { stat } from 'node:fs/promises';
import { FilePathSource, Input, MP4, QTFF } from 'mediabunny';

/** What a player needs to know about a saved video before it tries to play it. */
export interface MediaInfo {
  /** The sound track, if the file has one. Sora videos carry AAC (`mp4a.40.2`). */
  audio?: {
    /** mediabunny's codec name: 'aac', 'opus', 'mp3'… */
    codec: string;
    /** The RFC 6381 codec string, for `HTMLMediaElement.canPlayType('audio/mp4; codecs="…"')`. */
    codecString?: string;
  };
  /** The picture's RFC 6381 codec string (e.g. `avc1.42c015`). */
  videoCodecString?: string;
}

/**
 * Reads the track list of an MP4 (only the header boxes, never the whole file). Desktop VS Code's
 * webviews cannot play AAC (microsoft/vscode#167685): the pages say so only for files that really
 * have an AAC track. A file that cannot be read or parsed gives `{}` (unknown), never an error: the
 * player then simply tries.
 */
export async function readMediaInfo(file: string): Promise<MediaInfo> {
  const input = new Input({ source: new FilePathSource(file, { handleUnhandledError: () => undefined }), formats: [MP4, QTFF] });
  try {
    const [audio] = await input.getAudioTracks();
    const video = await input.getPrimaryVideoTrack();
    const info: MediaInfo = {};
    if (audio?.codec) info.audio = { codec: audio.codec, codecString: (await audio.getCodecParameterString()) ?? undefined };
    const videoCodec = video ? await video.getCodecParameterString() : null;
    if (videoCodec) info.videoCodecString = videoCodec;
    return info;
  } catch {
    return {};
  } finally {
    input.dispose();
  }
}

/**
 * Remembers what each file holds, keyed by path, size and modification time, so the chat card (which
 * asks every second while a task runs) and the preview read a file's header once.
 */
export class MediaInfoCache {
  private readonly entries = new Map<string, { key: string; info: Promise<MediaInfo> }>();

  constructor(
    private readonly read: (file: string) => Promise<MediaInfo> = readMediaInfo,
    private readonly maxEntries = 200,
  ) {}

  async get(file: string): Promise<MediaInfo> {
    let key: string;
    try {
      const s = await stat(file);
      key = `${s.size}:${s.mtimeMs}`;
    } catch {
      this.entries.delete(file);
      return {};
    }
    const hit = this.entries.get(file);
    if (hit?.key === key) return hit.info;
    const info = this.read(file);
    this.entries.delete(file);
    this.entries.set(file, { key, info });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return info;
  }
}
