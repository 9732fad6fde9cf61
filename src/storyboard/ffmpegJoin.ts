import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

import type { ClipMedia } from './probe';

/** The `ffmpeg` on PATH, if there is one. */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  // Only a real executable: Node will not spawn a .cmd or .bat without a shell.
  const names = platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export interface FfmpegJoinOptions {
  ffmpeg: string;
  clips: readonly ClipMedia[];
  file: string;
  /** An SRT file to add as a soft subtitle track (mov_text). */
  srtFile?: string;
  subtitleLanguage?: string;
  onProgress?: (seconds: number) => void;
  signal?: AbortSignal;
}

/**
 * Joins clips that differ (size, codec, audio format…) by re-encoding them all to the first clip's
 * picture size, frame rate and audio format with ffmpeg: slower and a generation of quality lost, so
 * only when the clips cannot be joined as they are. Each clip's audio is padded or cut to its video's
 * length, so sound stays with its picture across every join.
 */
export async function ffmpegJoin(options: FfmpegJoinOptions): Promise<void> {
  const { clips } = options;
  const first = clips[0];
  const width = even(first.video.rotation % 180 ? first.video.height : first.video.width);
  const height = even(first.video.rotation % 180 ? first.video.width : first.video.height);
  const fps = Math.round((first.video.frameRate || 30) * 1000) / 1000;
  const withAudio = clips.some((c) => c.audio);
  const sampleRate = clips.find((c) => c.audio)?.audio?.sampleRate ?? 48000;
  const layout = (clips.find((c) => c.audio)?.audio?.channels ?? 2) === 1 ? 'mono' : 'stereo';

  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error'];
  for (const clip of clips) args.push('-i', clip.file);
  const filters: string[] = [];
  const concatInputs: string[] = [];
  clips.forEach((clip, i) => {
    filters.push(
      `[${i}:v:0]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${fps},format=yuv420p,trim=duration=${clip.duration},setpts=PTS-STARTPTS[v${i}]`,
    );
    concatInputs.push(`[v${i}]`);
    if (!withAudio) return;
    const source = clip.audio ? `[${i}:a:0]` : `anullsrc=r=${sampleRate}:cl=${layout},`;
    const head = clip.audio ? `${source}aresample=${sampleRate},` : source;
    filters.push(`${head}aformat=sample_fmts=fltp:channel_layouts=${layout},apad,atrim=duration=${clip.duration},asetpts=PTS-STARTPTS[a${i}]`);
    concatInputs.push(`[a${i}]`);
  });
  filters.push(`${concatInputs.join('')}concat=n=${clips.length}:v=1:a=${withAudio ? 1 : 0}[v]${withAudio ? '[a]' : ''}`);
  let subtitleInput = -1;
  if (options.srtFile) {
    subtitleInput = clips.length;
    args.push('-i', options.srtFile);
  }
  args.push('-filter_complex', filters.join(';'), '-map', '[v]');
  if (withAudio) args.push('-map', '[a]', '-c:a', 'aac', '-b:a', '128k');
  if (subtitleInput >= 0) {
    args.push('-map', `${subtitleInput}:s`, '-c:s', 'mov_text', '-metadata:s:s:0', `language=${options.subtitleLanguage ?? 'und'}`);
  }
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart');
  args.push('-progress', 'pipe:1', '-nostats', '-f', 'mp4', options.file);
  await run(options.ffmpeg, args, options);
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

function run(ffmpeg: string, args: string[], options: FfmpegJoinOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    let pending = '';
    const onAbort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^out_time_us=(\d+)/.exec(line);
        if (m) options.onProgress?.(Number(m[1]) / 1e6);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) reject(options.signal.reason);
      else if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}
