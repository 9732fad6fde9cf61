import { EncodedAudioPacketSource, EncodedPacketSink, EncodedVideoPacketSource, FilePathTarget, Mp4OutputFormat, Output, type EncodedPacket } from 'mediabunny';

import { avcParameterSetPrefix } from './avc';
import { embedMovText, movTextRoom } from './embedSubtitles';
import { ClipReadError, needsInBandParameterSets, openClip, type ClipMedia } from './probe';
import type { SubtitleCue } from './srt';

export interface RemuxOptions {
  /** The clips, already checked to be alike (`compareClips`), in film order. */
  clips: readonly ClipMedia[];
  /** Where to write (a temporary file: the caller renames it when everything went well). */
  file: string;
  /** The film's subtitles, for a soft subtitle track (mov_text, see embedSubtitles.ts). */
  subtitles?: readonly SubtitleCue[];
  /** ISO 639-2 language of the subtitle track, e.g. "zho", "eng". */
  subtitleLanguage?: string;
  onProgress?: (seconds: number) => void;
  signal?: AbortSignal;
}

/**
 * Joins clips packet by packet with mediabunny, without decoding or re-encoding anything.
 *
 * Video: each clip's frames keep their own timing, shifted by where the clip starts in the film
 * (the sum of the earlier clips' video lengths). H.264 clips whose parameter sets differ become an
 * `avc3` track with each key frame carrying its clip's SPS/PPS (avc.ts).
 *
 * Audio: an AAC track is a string of fixed-length frames that players decode back to back, so it
 * must have no holes and no overlaps, yet each clip's audio runs a little longer or shorter than
 * its video (encoder priming, a partial last frame). Each clip's priming frame is dropped, its
 * frames are written end to end, a frame whose middle would fall in the next clip is dropped, and
 * a clip's audio is snapped onto the previous clip's end when within half a frame of where it
 * belongs (else it starts at its true place). So no audio frame is ever more than half a frame
 * (12 ms at 44.1 kHz) from its place and nothing drifts, however many clips there are.
 *
 * Memory stays flat: one clip is open at a time and packets stream to the file; the sample table
 * is reserved at the start of the file (`fastStart: 'reserve'`), so the film starts playing at once.
 *
 * Subtitles: mediabunny writes only WebVTT-in-MP4 (`wvtt`), which ffmpeg-based players show as an
 * unknown data stream, so the `tx3g` track is added to the finished file (embedSubtitles.ts), in room
 * reserved for it at the front.
 */
export async function remuxClips(options: RemuxOptions): Promise<void> {
  const { clips } = options;
  const first = clips[0];
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'reserve' }), target: new FilePathTarget(options.file) });
  const inBand = needsInBandParameterSets(clips);
  const videoConfig = inBand ? { ...first.video.decoderConfig, codec: first.video.decoderConfig.codec.replace(/^avc1/, 'avc3') } : first.video.decoderConfig;
  const video = new EncodedVideoPacketSource(first.video.codec);
  output.addVideoTrack(video, {
    rotation: first.video.rotation,
    maximumPacketCount: clips.reduce((n, c) => n + c.video.packetCount, 0) + subtitleRoomInPackets(options.subtitles),
  });
  const firstAudio = first.audio;
  const audio = firstAudio ? new EncodedAudioPacketSource(firstAudio.codec) : undefined;
  if (audio) output.addAudioTrack(audio, { maximumPacketCount: clips.reduce((n, c) => n + (c.audio?.packetCount ?? 0), 0) });
  try {
    await output.start();
    let filmStart = 0;
    let audioCursor = 0;
    let firstVideo = true;
    let firstAudioPacket = true;
    for (const clip of clips) {
      const input = openClip(clip.file);
      try {
        const videoTrack = (await input.getPrimaryVideoTrack())!;
        const audioTrack = audio && clip.audio ? await input.getPrimaryAudioTrack() : null;
        const videoPackets = new EncodedPacketSink(videoTrack).packets();
        const audioPackets = audioTrack ? new EncodedPacketSink(audioTrack).packets() : undefined;
        const parameterSets = inBand ? avcParameterSetPrefix(clip.video.decoderConfig.description!) : undefined;
        const clipEnd = filmStart + clip.duration;
        const placer = new AudioPlacer(filmStart, clipEnd, audioCursor);
        let videoRead = 0;
        const readVideo = async () => {
          const packet = await nextPacket(videoPackets);
          if (packet) videoRead++;
          // mediabunny stops quietly where a file is cut short; the header says how much there should be.
          else if (videoRead < clip.video.packetCount) throw truncated(clip, clips.indexOf(clip), videoRead);
          return packet;
        };
        let nextVideo = await readVideo();
        let nextAudio = audioPackets ? await nextAudioPacket(audioPackets, placer) : undefined;
        // Packets go in by film time, so the muxer can interleave the tracks without holding a clip in memory.
        while (nextVideo || nextAudio) {
          options.signal?.throwIfAborted();
          const videoTime = nextVideo ? filmStart + nextVideo.timestamp : Infinity;
          if (nextVideo && (!nextAudio || videoTime <= nextAudio.time)) {
            const data = parameterSets && nextVideo.type === 'key' ? concat(parameterSets, nextVideo.data) : undefined;
            await video.add(nextVideo.clone({ timestamp: videoTime, ...(data ? { data } : {}) }), firstVideo ? { decoderConfig: videoConfig } : undefined);
            firstVideo = false;
            options.onProgress?.(videoTime);
            nextVideo = await readVideo();
          } else if (nextAudio) {
            await audio!.add(
              nextAudio.packet.clone({ timestamp: nextAudio.time, duration: nextAudio.duration }),
              firstAudioPacket ? { decoderConfig: firstAudio!.decoderConfig } : undefined,
            );
            firstAudioPacket = false;
            placer.placed(nextAudio);
            nextAudio = await nextAudioPacket(audioPackets!, placer);
          }
        }
        audioCursor = placer.cursor;
        filmStart = clipEnd;
      } finally {
        input.dispose();
      }
    }
    options.signal?.throwIfAborted();
    await output.finalize();
    if (options.subtitles?.length) await embedMovText(options.file, options.subtitles, options.subtitleLanguage ?? 'und');
  } catch (error) {
    await output.cancel().catch(() => undefined);
    throw error;
  }
}

/**
 * mediabunny sizes the room it reserves for the header by the packets each track may hold: for each,
 * the worst case of every sample table (computeSampleTableSizeUpperBound: about 35 bytes a packet).
 * The subtitle track it does not write asks for its room as that many more video packets, counted at
 * 32 bytes each. Should the room still fall short, the track goes at the end of the file: the film is
 * as good, it only waits for its last bytes before playing over a network.
 */
function subtitleRoomInPackets(cues: readonly SubtitleCue[] | undefined): number {
  return cues?.length ? Math.ceil(movTextRoom(cues) / 32) : 0;
}

function truncated(clip: ClipMedia, index: number, frames: number): ClipReadError {
  return new ClipReadError(
    clip.label,
    `${clip.label} ends early: only ${frames} of its ${clip.video.packetCount} frames are in the file. Download it again or regenerate that clip.`,
    `${clip.label} 不完整：文件中只有 ${clip.video.packetCount} 帧中的 ${frames} 帧。请重新下载或重新生成这个片段。`,
    index,
  );
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function nextPacket(packets: AsyncGenerator<EncodedPacket>): Promise<EncodedPacket | undefined> {
  const next = await packets.next();
  return next.done ? undefined : next.value;
}

interface PlacedAudio {
  packet: EncodedPacket;
  time: number;
  duration: number;
}

/** Decides where each audio frame of one clip goes in the film (see `remuxClips`). */
class AudioPlacer {
  private frame = 0;
  private shift: number | undefined;
  done = false;
  constructor(
    private readonly clipStart: number,
    private readonly clipEnd: number,
    public cursor: number,
  ) {}

  place(packet: EncodedPacket): PlacedAudio | 'skip' | 'end' {
    if (!this.frame && packet.duration > 0) this.frame = packet.duration;
    const frame = this.frame || packet.duration;
    // Encoder priming: decoded only to be thrown away, and it would sound at the previous clip's end.
    if (packet.timestamp < -frame / 2) return 'skip';
    const target = this.clipStart + packet.timestamp + (this.shift ?? 0);
    const time = Math.abs(target - this.cursor) <= frame / 2 ? this.cursor : Math.max(target, this.cursor);
    this.shift ??= time - (this.clipStart + packet.timestamp);
    // A frame is decoded whole (its stored duration may be trimmed): it belongs here only if its middle does.
    const duration = Math.max(packet.duration, frame);
    if (time + duration / 2 > this.clipEnd) return 'end';
    return { packet, time, duration };
  }

  placed(audio: PlacedAudio): void {
    this.cursor = audio.time + audio.duration;
  }
}

async function nextAudioPacket(packets: AsyncGenerator<EncodedPacket>, placer: AudioPlacer): Promise<PlacedAudio | undefined> {
  while (!placer.done) {
    const packet = await nextPacket(packets);
    if (!packet) break;
    const placed = placer.place(packet);
    if (placed === 'skip') continue;
    if (placed === 'end') break;
    return placed;
  }
  placer.done = true;
  return undefined;
}
