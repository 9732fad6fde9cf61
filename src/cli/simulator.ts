// `node dist/simulator.js --port 8787 --time-scale 60`: a Juxin simulator to point any client at.
// Prints its URL on stdout and runs until interrupted.
import { parseArgs } from 'node:util';
import {
  ID_KINDS,
  MARKERS,
  PROFILE_NAMES,
  PROGRESS_STYLES,
  QUERY_SHAPES,
  REFUSAL_WORDINGS,
  startSimulator,
  VIDEO_PLACES,
  WIRE_MARKERS,
  type ProfileName,
  type SimulatorOptions,
} from '../simulator';

const USAGE = `Usage: node dist/simulator.js [options]
  --port N               port (default 8787; 0 = any free port)
  --host H               address to listen on (default 127.0.0.1)
  --time-scale X         simulated seconds per real second (default 1; 60 = a 4-minute job in 4 s)
  --wire W               real | brochure (default real: what the relay's users logged; brochure: its docs' shapes)
  --id-style S           ${ID_KINDS.join(' | ')} | alternate (default: video; brochure: alternate)
  --query-shape Q        ${QUERY_SHAPES.join(' | ')} | mixed | by-id (default: mixed; brochure: by-id)
  --video-urls V         ${VIDEO_PLACES.join(' | ')} | mixed (default: mixed; brochure: signed)
  --storage-port N       port of the storage host that serves finished videos (default 0: any free port)
  --models A,B,…         the key's model whitelist (default: every model the relay carries)
  --with-sora            a relay that still carries Sora 2 (by default sora-2* answer 503 model_not_found and
                         leave GET /v1/models, as the real relay since 2026-09-24)
  --retire-sora          the default, kept so scripts written before keep working
  --endpoint-labels L    as-listed | english: endpoint types in GET /v1/models (default as-listed, Chinese labels too)
  --group G              the key's group named in refusals (default "default")
  --refusal-wording R    ${REFUSAL_WORDINGS.join(' | ')}: how "no channel for the model" is worded (default current)
  --upper-case           statuses as NOT_START / IN_PROGRESS / SUCCESS / FAILURE
  --omit-video-url M     detail-url | downloadable-url: leave out the top-level video_url
  --video-file PATH      MP4 to serve (default media/sample.mp4)
  --video-bytes N        serve a synthetic MP4 of N bytes instead
  --profile P            relay timing: ${PROFILE_NAMES.join(' | ')} (default typical)
  --queue-seconds N      simulated queue time of a 10 s sora-2 job (default: the profile's, 150)
  --generate-seconds N   simulated generation time (default: the profile's, 90)
  --url-lifetime N       simulated lifetime of signed video URLs, seconds (default 3600)
  --seed N               repeatable ids, timings and URLs
Any key of the form sk-… (8+ characters after "sk-") is accepted, except ones containing "invalid".
Faults: POST /__sim/faults {"kind":"rate_limit","on":"query","times":2}; DELETE /__sim/faults;
GET /__sim/requests, /__sim/tasks. Prompt markers: ${[
  ...MARKERS,
  ...WIRE_MARKERS,
  ...PROFILE_NAMES.map((p) => `profile-${p}`),
  ...PROGRESS_STYLES.map((s) => `progress-${s}`),
]
  .map((m) => `#sim:${m}`)
  .join(', ')}.`;

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        'time-scale': { type: 'string', default: '1' },
        wire: { type: 'string', default: 'real' },
        'id-style': { type: 'string' },
        'query-shape': { type: 'string' },
        'video-urls': { type: 'string' },
        'storage-port': { type: 'string' },
        models: { type: 'string' },
        'with-sora': { type: 'boolean', default: false },
        'retire-sora': { type: 'boolean', default: false },
        'endpoint-labels': { type: 'string' },
        group: { type: 'string' },
        'refusal-wording': { type: 'string' },
        'upper-case': { type: 'boolean', default: false },
        'omit-video-url': { type: 'string' },
        'video-file': { type: 'string' },
        'video-bytes': { type: 'string' },
        profile: { type: 'string', default: 'typical' },
        'queue-seconds': { type: 'string' },
        'generate-seconds': { type: 'string' },
        'url-lifetime': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const number = (name: string, value: string | undefined, ok: (n: number) => boolean, rule: string): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (value.trim() === '' || !ok(n)) return usageError(`--${name} must be ${rule}, got "${value}"`);
    return n;
  };
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  const positive = (n: number) => Number.isFinite(n) && n > 0;
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) return usageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  };
  const wire = oneOf('wire', values.wire, ['real', 'brochure'] as const);
  const idStyle = oneOf('id-style', values['id-style'], [...ID_KINDS, 'alternate'] as const);
  const queryShape = oneOf('query-shape', values['query-shape'], [...QUERY_SHAPES, 'mixed', 'by-id'] as const);
  const videoUrls = oneOf('video-urls', values['video-urls'], [...VIDEO_PLACES, 'mixed'] as const);
  const endpointLabels = oneOf('endpoint-labels', values['endpoint-labels'], ['as-listed', 'english'] as const);
  const refusalWording = oneOf('refusal-wording', values['refusal-wording'], REFUSAL_WORDINGS);
  const models = values.models
    ?.split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const profile = values.profile as string;
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) return usageError(`--profile must be one of ${PROFILE_NAMES.join(', ')}, got "${profile}"`);
  if (values['with-sora'] && values['retire-sora']) return usageError('--with-sora and --retire-sora contradict each other: give one');
  const omit = values['omit-video-url'];
  if (omit !== undefined && omit !== 'detail-url' && omit !== 'downloadable-url') return usageError('--omit-video-url must be detail-url or downloadable-url');

  const options: SimulatorOptions = {
    port: number('port', values.port, (n) => whole(n) && n < 65536, 'a port number (0-65535)'),
    host: values.host,
    storagePort: number('storage-port', values['storage-port'], (n) => whole(n) && n < 65536, 'a port number (0-65535)'),
    timeScale: number('time-scale', values['time-scale'], positive, 'a positive number'),
    wire,
    idStyle,
    queryShape,
    videoUrls,
    models,
    retireSora: !values['with-sora'],
    endpointLabels,
    group: values.group,
    refusalWording,
    upperCaseStatus: values['upper-case'],
    omitTopLevelVideoUrl: omit as SimulatorOptions['omitTopLevelVideoUrl'],
    videoFile: values['video-file'],
    videoBytes: number('video-bytes', values['video-bytes'], (n) => whole(n) && n >= 64, 'a whole number of bytes, at least 64'),
    profile: profile as ProfileName,
    queueSeconds: number('queue-seconds', values['queue-seconds'], (n) => n >= 0, 'a number of seconds ≥ 0'),
    generateSeconds: number('generate-seconds', values['generate-seconds'], (n) => n >= 0, 'a number of seconds ≥ 0'),
    urlLifetimeSeconds: number('url-lifetime', values['url-lifetime'], positive, 'a positive number of seconds'),
    seed: number('seed', values.seed, Number.isInteger, 'a whole number'),
  };

  startSimulator(options).then(
    (sim) => {
      const stop = () => void sim.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`Juxin simulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

main();
