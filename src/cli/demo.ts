// `npm run demo -- "a cat playing piano under cherry blossoms"`: the main job, offline.
// Starts the Juxin simulator and the built stdio server, drives it with the MCP SDK client as an agent
// would, shows a progress bar fed by the progress notifications, and prints the URL and the saved MP4.
// `--live` (with JUXIN_API_KEY) does the same against the real API.
import { spawnSync } from 'node:child_process';
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { SingleBar, Presets } from 'cli-progress';
import { startSimulator, type Simulator } from '../simulator';

const HELP = `Usage: npm run demo -- "<prompt>" [options]

Options:
  --live                 use the real Juxin API (needs JUXIN_API_KEY) instead of the offline simulator
  --model <m>            any video model the relay lists (list_models), e.g. veo3.1-fast (the default), grok-video-3
                         (the offline simulator, like the real relay, no longer carries Sora 2: retired 2026-09-24)
  --orientation <o>      landscape (default) or portrait
  --duration <s>         one of the model's lengths (Veo: 8 s, its only one; Grok: 6, 10 or 15)
  --image <url|path>     animate an image (repeatable)
  --time-scale <n>       offline only: how much faster than real time the simulator runs (default 40)

JUXIN_SORA_HOME chooses where task history and videos go (offline default: ./demo-output).`;

// Made up for the simulator; the simulator accepts any sk-… key. Never a real key.
const OFFLINE_KEY = 'sk-offline-demo-simulator-key';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      live: { type: 'boolean', default: false },
      model: { type: 'string' },
      orientation: { type: 'string' },
      duration: { type: 'string' },
      image: { type: 'string', multiple: true },
      'time-scale': { type: 'string', default: '40' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const prompt = positionals.join(' ').trim() || 'a cat playing piano under cherry blossoms';
  const serverJs = path.join(__dirname, 'server.js');

  let sim: Simulator | undefined;
  const env: Record<string, string> = { ...getDefaultEnvironment(), JUXIN_LOG_LEVEL: 'warn' };
  if (values.live) {
    if (!process.env.JUXIN_API_KEY) {
      console.error('--live needs your key in JUXIN_API_KEY (export JUXIN_API_KEY=sk-…). 需要先设置环境变量 JUXIN_API_KEY。');
      return 2;
    }
    for (const name of ['JUXIN_API_KEY', 'JUXIN_BASE_URL', 'JUXIN_SORA_HOME', 'JUXIN_POLL_INTERVAL_MS']) {
      if (process.env[name]) env[name] = process.env[name]!;
    }
    console.log('Live mode: using the real Juxin API. This costs money and takes a few minutes.');
  } else {
    const timeScale = Number(values['time-scale']);
    if (!Number.isFinite(timeScale) || timeScale < 1) {
      console.error('--time-scale must be a number ≥ 1');
      return 2;
    }
    sim = await startSimulator({ timeScale, quiet: true });
    Object.assign(env, {
      JUXIN_API_KEY: OFFLINE_KEY,
      JUXIN_BASE_URL: sim.url,
      JUXIN_SORA_HOME: process.env.JUXIN_SORA_HOME || path.resolve('demo-output'),
      JUXIN_TIME_SCALE: String(timeScale),
    });
    console.log(`Offline demo: Juxin simulator at ${sim.url} (${timeScale}× real time). History and videos: ${env.JUXIN_SORA_HOME}`);
  }

  const client = new Client({ name: 'juxin-sora-demo', version: '1.0.0' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [serverJs], env, stderr: 'inherit' });
  const progress = progressDisplay();
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    console.log(`Connected to juxin-sora-mcp: ${tools.map((t) => t.name).join(', ')}`);
    console.log(`Prompt: ${prompt}\n`);

    progress.update(0, 'creating task');
    const args: Record<string, unknown> = { prompt, wait: true, timeout_seconds: 1800 };
    if (values.model) args.model = values.model;
    if (values.orientation) args.orientation = values.orientation;
    if (values.duration) args.duration = Number(values.duration);
    if (values.image?.length) args.images = values.image;
    const result = (await client.callTool({ name: 'generate_video', arguments: args }, CallToolResultSchema, {
      onprogress: (p) => progress.update(Math.floor(p.progress), p.message ?? ''),
      resetTimeoutOnProgress: true,
      timeout: 120_000,
      maxTotalTimeout: 40 * 60_000,
    })) as CallToolResult;
    progress.stop();

    const out = result.structuredContent as
      | {
          status?: string;
          video_url?: string;
          local_path?: string;
          task_id?: string;
          params?: { model?: string; aspect_ratio?: string; orientation?: string; duration?: number };
        }
      | undefined;
    const text = result.content
      .map((c) => (c.type === 'text' ? c.text : ''))
      .filter(Boolean)
      .join('\n');
    if (result.isError || out?.status !== 'completed' || !out.local_path) {
      console.error(`\n${text}`);
      return 1;
    }
    console.log(`\nTask:      ${out.task_id}`);
    const made = out.params;
    if (made?.model) console.log(`Model:     ${made.model}, ${made.aspect_ratio ?? made.orientation ?? ''}, ${made.duration} s`);
    console.log(`Video URL: ${out.video_url}`);
    console.log(
      `Saved MP4: ${out.local_path} (${(statSync(out.local_path).size / 1024).toFixed(0)} KB${looksLikeMp4(out.local_path) ? ', MP4 verified' : ''})`,
    );
    reportDuration(out.local_path);
    return 0;
  } finally {
    progress.stop();
    await client.close().catch(() => undefined);
    await sim?.close();
  }
}

interface ProgressDisplay {
  update(percent: number, message: string): void;
  stop(): void;
}

/** A live bar in a terminal; one line per change when the output is a file or a CI log (a bar would print nothing). */
function progressDisplay(): ProgressDisplay {
  if (process.stdout.isTTY) {
    const bar = new SingleBar({ format: '{bar} {percentage}% | {message}', hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
    let started = false;
    return {
      update(percent, message) {
        if (!started) bar.start(100, percent, { message });
        else bar.update(percent, { message });
        started = true;
      },
      stop: () => bar.stop(),
    };
  }
  let last = '';
  return {
    update(percent, message) {
      if (message === last) return;
      last = message;
      console.log(`${String(percent).padStart(3)}% | ${message}`);
    },
    stop: () => undefined,
  };
}

function looksLikeMp4(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(12);
    readSync(fd, head, 0, 12, 0);
    return head.toString('latin1', 4, 8) === 'ftyp';
  } finally {
    closeSync(fd);
  }
}

/** If ffprobe happens to be installed, show that the file really plays as a video. */
function reportDuration(file: string): void {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim()) console.log(`Duration:  ${Number(probe.stdout.trim()).toFixed(1)} s (ffprobe)`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Demo failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
