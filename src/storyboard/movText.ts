import { box, fullBox, u16, u32, u64, u8 } from './mp4Box';
import type { SubtitleCue } from './srt';

/**
 * The bytes of a `tx3g` (mov_text) subtitle track, the MP4 convention for subtitles that ffmpeg,
 * mpv, VLC, QuickTime and the phones all show: 3GPP TS 26.245 (timed text) in the boxes of
 * ISO/IEC 14496-12. A track shows one sample at a time, each for its duration, so the film's time
 * is tiled with samples: a cue's text, or nothing between cues.
 */

/** One sample's time on screen (milliseconds: the track's timescale) and the text it shows ('' for none). */
export interface TextSample {
  duration: number;
  text: string;
}

/** The track's timescale: cue times are whole milliseconds. */
export const TEXT_TIMESCALE = 1000;

/** A sample's text length is 16 bits; a longer "line" (never a real one) is cut where a character starts. */
const MAX_TEXT_BYTES = 0xffff;

/**
 * Tiles 0..`endMs` (or to the last cue's end, if later) with samples. Where cues overlap, each stretch
 * shows every line on screen then, earlier cues first, one a line.
 */
export function textSamples(cues: readonly SubtitleCue[], endMs: number): TextSample[] {
  const sorted = [...cues].sort((a, b) => a.start - b.start);
  const end = sorted.reduce((latest, cue) => Math.max(latest, Math.round(cue.end)), Math.round(endMs));
  const times = new Set([0, end]);
  for (const cue of sorted) times.add(Math.max(0, Math.round(cue.start))).add(Math.max(0, Math.round(cue.end)));
  const points = [...times].sort((a, b) => a - b);
  const samples: TextSample[] = [];
  let next = 0;
  let onScreen: SubtitleCue[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    while (next < sorted.length && Math.round(sorted[next].start) <= from) onScreen.push(sorted[next++]);
    onScreen = onScreen.filter((cue) => Math.round(cue.end) > from);
    samples.push({ duration: to - from, text: onScreen.map((cue) => cue.text).join('\n') });
  }
  return samples;
}

/** A text sample (TS 26.245 §5.17): the text's length in bytes (16 bits), then the text in UTF-8. */
export function encodeTextSample(text: string): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_TEXT_BYTES) {
    const ellipsis = Buffer.from('…', 'utf8');
    let end = MAX_TEXT_BYTES - ellipsis.length;
    // Back to the first byte of a character (continuation bytes are 10xxxxxx).
    while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
    bytes = Buffer.concat([bytes.subarray(0, end), ellipsis]);
  }
  return Buffer.concat([u16(bytes.length), bytes]);
}

/**
 * The default style is ffmpeg's (the ASS defaults: Arial, 16, white), so ffmpeg turns the track back
 * into plain SRT without font tags. Players draw characters the font lacks (Chinese) with a face
 * that has them, as they do for ffmpeg's own mov_text.
 */
const FONT = 'Arial';
const FONT_SIZE = 16;

/**
 * The `tx3g` sample entry (TS 26.245 §5.16): centred at the bottom, no background, white text, and
 * the one font the style record names (font table `ftab`).
 */
export function textSampleEntry(): Buffer {
  const fontName = Buffer.from(FONT, 'latin1');
  return box(
    'tx3g',
    Buffer.alloc(6), // reserved
    u16(1), // data_reference_index: the one entry of dref (in this file)
    u32(0), // displayFlags: no scrolling, no karaoke
    u8(1), // horizontal justification: centre
    u8(0xff), // vertical justification: -1, bottom
    u32(0x00000000), // background colour RGBA: transparent
    Buffer.alloc(8), // default text box (top, left, bottom, right): 0 = the whole track, the player decides
    u16(0), // style record: startChar
    u16(0), // endChar
    u16(1), // font-ID (in ftab)
    u8(0), // face style flags: plain
    u8(FONT_SIZE),
    u32(0xffffffff), // text colour RGBA: opaque white
    box('ftab', u16(1), u16(1), u8(fontName.length), fontName),
  );
}

export interface TextTrackOptions {
  /** Each sample's size in bytes (`encodeTextSample`) and duration in milliseconds, in order. */
  samples: readonly { size: number; duration: number }[];
  trackId: number;
  /** The film's timescale (mvhd), for the track header's duration. */
  movieTimescale: number;
  /** ISO 639-2/T code, e.g. "zho", "eng"; anything else is written as "und". */
  language: string;
  /** Where the samples are in the file: one chunk, back to back. */
  chunkOffset: number;
}

/** The whole `trak` box of the subtitle track, its samples in one chunk at `chunkOffset`. */
export function textTrak(options: TextTrackOptions): Buffer {
  const { samples } = options;
  const mediaDuration = samples.reduce((n, s) => n + s.duration, 0);
  const movieDuration = Math.round((mediaDuration * options.movieTimescale) / TEXT_TIMESCALE);
  const tkhdWide = movieDuration > 0xffffffff;
  const tkhd = fullBox(
    'tkhd',
    tkhdWide ? 1 : 0,
    0x000003, // enabled, in the movie: shown unless the viewer turns it off, as ffmpeg's mov_text tracks are
    ...(tkhdWide ? [u64(0), u64(0)] : [u32(0), u32(0)]), // creation, modification time
    u32(options.trackId),
    u32(0), // reserved
    tkhdWide ? u64(movieDuration) : u32(movieDuration),
    Buffer.alloc(8), // reserved
    u16(0), // layer
    u16(2), // alternate group: the subtitles' own (as mediabunny and ffmpeg give it; video 0, audio 1)
    u16(0), // volume
    u16(0), // reserved
    IDENTITY_MATRIX,
    u32(0), // width
    u32(0), // height: 0, the player lays the text over the picture
  );
  const mdhd = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(TEXT_TIMESCALE), u32(mediaDuration), u16(packLanguage(options.language)), u16(0));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('sbtl', 'latin1'), Buffer.alloc(12), Buffer.from('SubtitleHandler\0', 'latin1'));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 0x000001)));
  const wideOffset = options.chunkOffset > 0xffffffff;
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), textSampleEntry()),
    fullBox('stts', 0, 0, ...timeToSample(samples)),
    fullBox('stsc', 0, 0, u32(samples.length ? 1 : 0), ...(samples.length ? [u32(1), u32(samples.length), u32(1)] : [])),
    fullBox('stsz', 0, 0, u32(0), u32(samples.length), ...samples.map((s) => u32(s.size))),
    wideOffset ? fullBox('co64', 0, 0, u32(1), u64(options.chunkOffset)) : fullBox('stco', 0, 0, u32(1), u32(options.chunkOffset)),
  );
  const minf = box('minf', fullBox('nmhd', 0, 0), dinf, stbl);
  return box('trak', tkhd, box('mdia', mdhd, hdlr, minf));
}

const IDENTITY_MATRIX = Buffer.concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32));

/** `stts`: the entry count, then runs of samples of one duration. */
function timeToSample(samples: readonly { duration: number }[]): Buffer[] {
  const runs: { count: number; duration: number }[] = [];
  for (const { duration } of samples) {
    const last = runs.at(-1);
    if (last?.duration === duration) last.count++;
    else runs.push({ count: 1, duration });
  }
  return [u32(runs.length), ...runs.flatMap((r) => [u32(r.count), u32(r.duration)])];
}

/** ISO 639-2/T in three 5-bit letters (ISO/IEC 14496-12 §8.4.2.3). */
function packLanguage(code: string): number {
  const letters = /^[a-z]{3}$/.test(code) ? code : 'und';
  return [...letters].reduce((n, c) => (n << 5) | (c.charCodeAt(0) - 0x60), 0);
}
