import path from 'node:path';

import { FilePathSource, Input, MP4, QTFF, type AudioCodec, type Rotation, type VideoCodec } from 'mediabunny';

import { checkMp4Tables } from './mp4Tables';

/** What joining needs to know about one clip file, read from its header (no media is decoded). */
export interface ClipMedia {
  file: string;
  label: string;
  /** End of the video track, seconds: the clip's length in the film. */
  duration: number;
  video: {
    codec: VideoCodec;
    decoderConfig: VideoDecoderConfig;
    width: number;
    height: number;
    rotation: Rotation;
    frameRate: number;
    packetCount: number;
  };
  audio?: {
    codec: AudioCodec;
    decoderConfig: AudioDecoderConfig;
    sampleRate: number;
    channels: number;
    packetCount: number;
  };
}

/** A clip file that cannot be read as a video. */
export class ClipReadError extends Error {
  override readonly name = 'ClipReadError';
  constructor(
    readonly clip: string,
    message: string,
    readonly messageZh: string,
    /** Its place in the join, when known. */
    readonly index?: number,
  ) {
    super(message);
  }
}

export function openClip(file: string): Input<FilePathSource> {
  // Only ISO media (what Sora and ffmpeg write): the other demuxers would only grow the bundles.
  return new Input({ source: new FilePathSource(file), formats: [MP4, QTFF] });
}

export async function probeClip(file: string, label = path.basename(file)): Promise<ClipMedia> {
  try {
    // Clips come from the relay: their tables are checked before mediabunny trusts a single count.
    await checkMp4Tables(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ClipReadError(
      label,
      `${label} is damaged or not a video we can join (${reason}). Download it again or regenerate that clip.`,
      `${label} 已损坏，或不是可以拼接的视频（${reason}）。请重新下载或重新生成这个片段。`,
    );
  }
  const input = openClip(file);
  try {
    const video = await input.getPrimaryVideoTrack();
    const videoCodec = await video?.getCodec();
    const videoConfig = await video?.getDecoderConfig();
    if (!video || !videoCodec || !videoConfig) {
      throw new ClipReadError(label, `${label} has no video we can read.`, `${label} 中没有可读取的视频。`);
    }
    const videoStats = await video.computePacketStats();
    const media: ClipMedia = {
      file,
      label,
      duration: await video.computeDuration(),
      video: {
        codec: videoCodec,
        decoderConfig: videoConfig,
        width: await video.getCodedWidth(),
        height: await video.getCodedHeight(),
        rotation: await video.getRotation(),
        frameRate: videoStats.averagePacketRate,
        packetCount: videoStats.packetCount,
      },
    };
    const audio = await input.getPrimaryAudioTrack();
    const audioCodec = await audio?.getCodec();
    const audioConfig = await audio?.getDecoderConfig();
    if (audio && audioCodec && audioConfig) {
      media.audio = {
        codec: audioCodec,
        decoderConfig: audioConfig,
        sampleRate: await audio.getSampleRate(),
        channels: await audio.getNumberOfChannels(),
        packetCount: (await audio.computePacketStats()).packetCount,
      };
    }
    return media;
  } catch (error) {
    if (error instanceof ClipReadError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ClipReadError(
      label,
      `${label} cannot be read as a video (${reason}). Download it again or regenerate that clip.`,
      `无法把 ${label} 作为视频读取（${reason}）。请重新下载或重新生成这个片段。`,
    );
  } finally {
    input.dispose();
  }
}

/** A parameter in which a clip differs from the first clip, so the two cannot share one track. */
export interface ClipMismatch {
  clip: string;
  /** Index of the clip in the join. */
  index: number;
  parameter: string;
  parameterZh: string;
  value: string;
  expected: string;
  /** The values in Chinese, when they are words. */
  valueZh?: string;
  expectedZh?: string;
}

function hex(data: AllowSharedBufferSource | undefined): string {
  if (!data) return '';
  const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  return Buffer.from(bytes).toString('hex');
}

/**
 * Packets can go into one MP4 track unchanged only when every clip was encoded alike: same codecs,
 * picture size and rotation, same audio format, and the same decoder set-up (AAC config; for H.264
 * the SPS/PPS may differ, see `needsInBandParameterSets`), since an MP4 track carries one. Clips
 * from one model, size and orientation are.
 */
export function compareClips(clips: readonly ClipMedia[]): ClipMismatch[] {
  const [first, ...rest] = clips;
  if (!first) return [];
  const mismatches: ClipMismatch[] = [];
  rest.forEach((clip, i) => {
    const add = (parameter: string, parameterZh: string, value: string, expected: string, zh?: (v: string) => string) => {
      if (value === expected) return;
      const mismatch: ClipMismatch = { clip: clip.label, index: i + 1, parameter, parameterZh, value, expected };
      if (zh) Object.assign(mismatch, { valueZh: zh(value), expectedZh: zh(expected) });
      mismatches.push(mismatch);
    };
    add('video codec', '视频编码', clip.video.decoderConfig.codec, first.video.decoderConfig.codec);
    add('picture size', '画面尺寸', `${clip.video.width}×${clip.video.height}`, `${first.video.width}×${first.video.height}`);
    add('rotation', '旋转', `${clip.video.rotation}°`, `${first.video.rotation}°`);
    // H.264 set-ups that differ go in band (avc3, see avc.ts); another codec's cannot.
    if (clip.video.decoderConfig.codec === first.video.decoderConfig.codec && clip.video.codec !== 'avc') {
      add('video encoder settings', '视频编码参数', hex(clip.video.decoderConfig.description), hex(first.video.decoderConfig.description));
    }
    const audio = (m: ClipMedia) => (m.audio ? 'present' : 'absent');
    add('audio track', '音轨', audio(clip), audio(first), (v) => (v === 'present' ? '有' : '无'));
    if (clip.audio && first.audio) {
      add('audio codec', '音频编码', clip.audio.decoderConfig.codec, first.audio.decoderConfig.codec);
      add('audio sample rate', '音频采样率', `${clip.audio.sampleRate} Hz`, `${first.audio.sampleRate} Hz`);
      add('audio channels', '声道数', String(clip.audio.channels), String(first.audio.channels));
      if (clip.audio.decoderConfig.codec === first.audio.decoderConfig.codec) {
        add('audio encoder settings', '音频编码参数', hex(clip.audio.decoderConfig.description), hex(first.audio.decoderConfig.description));
      }
    }
  });
  return mismatches;
}

/** Alike H.264 clips whose parameter sets differ: joined as `avc3`, each key frame carrying its own. */
export function needsInBandParameterSets(clips: readonly ClipMedia[]): boolean {
  const first = hex(clips[0]?.video.decoderConfig.description);
  return clips[0]?.video.codec === 'avc' && clips.some((c) => hex(c.video.decoderConfig.description) !== first);
}

/** "clip 3 (c3.mp4): picture size 256×144 (clip 1, a.mp4: 320×180)" — one part per difference. */
export function describeMismatches(mismatches: readonly ClipMismatch[], firstLabel: string): { en: string; zh: string } {
  const shorten = (v: string) => (v.length > 24 ? `${v.slice(0, 20)}…` : v);
  return {
    en: mismatches.map((m) => `clip ${m.index + 1} (${m.clip}): ${m.parameter} ${shorten(m.value)} (clip 1, ${firstLabel}: ${shorten(m.expected)})`).join('; '),
    zh: mismatches
      .map(
        (m) =>
          `第 ${m.index + 1} 个片段（${m.clip}）的${m.parameterZh}：${shorten(m.valueZh ?? m.value)}（第 1 个片段 ${firstLabel}：${shorten(m.expectedZh ?? m.expected)}）`,
      )
      .join('；'),
  };
}
