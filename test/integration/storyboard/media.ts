import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { readBoxHeader } from '../../../src/storyboard/mp4Box';
import { parseSrt, type SubtitleCue } from '../../../src/storyboard/srt';

/** Looks at real media files with Debian's ffmpeg/ffprobe (installed by `npm test`: test/vscode/provision.mjs). */

export const CLIPS_DIR = path.join(__dirname, '../../../media/clips');
export const clipFile = (name: string) => path.join(CLIPS_DIR, `${name}.mp4`);

/** What each test clip shows and sounds like (see src/simulator/README.md). */
export const CLIP_LOOK = {
  'clip-1': { rgb: [200, 60, 60], tone: 330, seconds: 10 },
  'clip-2': { rgb: [60, 200, 60], tone: 550, seconds: 15 },
  'clip-3': { rgb: [60, 60, 200], tone: 880, seconds: 10 },
  'clip-other-size': { rgb: [200, 200, 60], tone: 660, seconds: 3 },
} as const;

export interface Probe {
  format: { duration: string };
  streams: {
    codec_type: string;
    codec_name?: string;
    codec_tag_string: string;
    duration?: string;
    nb_frames?: string;
    width?: number;
    tags?: Record<string, string>;
  }[];
}

export function probe(file: string): Probe {
  return JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-show_entries',
        'format=duration:stream=codec_type,codec_name,codec_tag_string,duration,nb_frames,width:stream_tags=language',
        '-of',
        'json',
        file,
      ],
      {
        encoding: 'utf8',
      },
    ),
  );
}

/** Decodes every frame and sample; returns ffmpeg's complaints (empty when the file is clean). */
export function decodeErrors(file: string): string {
  return execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The average colour of a patch in the top-left area (away from the moving square) of the frame shown at `seconds`. */
export function colourAt(file: string, seconds: number): [number, number, number] {
  const out = execFileSync('ffmpeg', [
    '-v', 'error', '-nostdin', '-ss', String(seconds), '-i', file, '-frames:v', '1',
    '-vf', 'crop=32:32:16:16,scale=1:1:flags=area', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ]); // prettier-ignore
  return [out[0], out[1], out[2]];
}

export function sameColour(a: readonly number[], b: readonly number[], tolerance = 30): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= tolerance);
}

/** The frequency (Hz) of the tone between `from` and `to` seconds, from its zero crossings. */
export function toneBetween(file: string, from: number, to: number): number {
  const pcm = execFileSync('ffmpeg', [
    '-v', 'error', '-nostdin', '-i', file, '-af', `atrim=${from}:${to}`, '-vn', '-ac', '1', '-ar', '44100', '-f', 's16le', '-',
  ], { maxBuffer: 64 * 1024 * 1024 }); // prettier-ignore
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 !== samples[i] < 0) crossings++;
  return crossings / 2 / (samples.length / 44100);
}

/** The film's soft subtitles as ffmpeg reads them (`ffmpeg -i film.mp4 -map 0:s:0 -f srt -`), the way a player would show them. */
export function subtitleCues(file: string): SubtitleCue[] {
  return parseSrt(execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-map', '0:s:0', '-f', 'srt', '-'], { encoding: 'utf8' }));
}

/** Each packet of the first video stream as its size and the MD5 of its bytes (ffmpeg's framemd5, packets copied, not decoded). */
export function videoPackets(file: string): string[] {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'framemd5', '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // "stream, dts, pts, duration, size, hash": the times move with the clip's place in the film, the bytes must not.
  return out
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').slice(4).join(',').replace(/\s/g, ''));
}

/** The boxes at the top of an MP4 file, in order (moov before the media: the film starts playing before it is all read). */
export function topLevelBoxes(file: string): string[] {
  const bytes = readFileSync(file);
  const types: string[] = [];
  for (let at = 0, header; (header = readBoxHeader(bytes, at, bytes.length)); at += header.size) types.push(header.type);
  return types;
}

/**
 * A clip with one 4-byte field of its header changed: `field` bytes after the type of its first `box`
 * box (for `stsc`: +8 the entry count, +12 the first entry's first chunk, +16 its samples per chunk).
 */
export function craftedClip(box: string, field: number, value: number, name: keyof typeof CLIP_LOOK = 'clip-1'): Buffer {
  const bytes = Buffer.from(readFileSync(clipFile(name)));
  const at = bytes.indexOf(Buffer.from(box, 'latin1'));
  if (at < 4) throw new Error(`${name} has no ${box} box`);
  bytes.writeUInt32BE(value, at + field);
  return bytes;
}
