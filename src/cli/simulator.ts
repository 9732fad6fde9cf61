// `node dist/simulator.js --port 8787 --time-scale 60`: a Juxin simulator to point any client at.
import { parseArgs } from 'node:util';
import { startSimulator } from '../simulator';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'time-scale': { type: 'string', default: '1' },
    'id-style': { type: 'string', default: 'alternate' },
    'upper-case': { type: 'boolean', default: false },
    'video-bytes': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`Usage: node dist/simulator.js [--port 8787] [--time-scale 60] [--id-style task|video|alternate] [--upper-case] [--video-bytes N]
Any key of the form sk-… (8+ characters after "sk-") is accepted, except ones containing "invalid".
Fault injection: POST /__sim/faults {"kind":"rate_limit","on":"query","times":2}; prompt markers #sim:moderation, #sim:never, …`);
  process.exit(0);
}

const number = (name: string, value: string | undefined, min: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number ≥ ${min}`);
    process.exit(2);
  }
  return n;
};

const idStyle = values['id-style'];
if (!['task', 'video', 'alternate'].includes(idStyle!)) {
  console.error('--id-style must be task, video or alternate');
  process.exit(2);
}

startSimulator({
  port: number('port', values.port, 0),
  host: values.host,
  timeScale: number('time-scale', values['time-scale'], 1),
  idStyle: idStyle as 'task' | 'video' | 'alternate',
  upperCaseStatus: values['upper-case'],
  videoBytes: number('video-bytes', values['video-bytes'], 64),
}).then(
  (sim) => {
    const stop = () => sim.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (error: unknown) => {
    console.error(`simulator failed to start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
