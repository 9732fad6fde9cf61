import { createHash } from 'node:crypto';
import type { SimTask } from './jobs';

/**
 * How the relay dresses its answers: the wire its users logged ('real', the default) or the shapes of
 * its own docs, as this simulator spoke them before ('brochure'). Each task's dress is decided once, at
 * creation, from the run's options, its prompt's markers and a rotation, so one run serves every shape.
 */

/** `video_<uuid>` (every logged create), `<model>:<ts>-<rand>` (the Veo docs), `sora-2:task_…` (the Sora docs). */
export const ID_KINDS = ['video', 'veo', 'task'] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** The three query shapes of §2: the unified one, OpenAI's video object (Shape C), the gateway's task record with or without its wrapper. */
export const QUERY_SHAPES = ['unified', 'openai', 'record', 'record-bare'] as const;
export type QueryShape = (typeof QUERY_SHAPES)[number];

/**
 * Where a finished video is served: an unsigned, long-lived URL on another host (object storage), the
 * relay's key-guarded `/v1/videos/{id}/content` (answering the bytes, or a redirect to the storage host),
 * or the brochure's signed, expiring URL on the relay's own host.
 */
export const VIDEO_PLACES = ['storage', 'content', 'content-redirect', 'signed'] as const;
export type VideoPlace = (typeof VIDEO_PLACES)[number];

/** Where a task record keeps its video URL: `data.output`, `data.video_url`, `result_url`, or deeper in the upstream body. */
export const RECORD_URL_PLACES = ['output', 'video_url', 'result_url', 'upstream'] as const;
export type RecordUrlPlace = (typeof RECORD_URL_PLACES)[number];

export type WireName = 'real' | 'brochure';

/** The run's choices (SimulatorOptions); anything left out follows `wire`. */
export interface WireOptions {
  wire?: WireName;
  idStyle?: IdKind | 'alternate';
  queryShape?: QueryShape | 'mixed' | 'by-id';
  videoUrls?: VideoPlace | 'mixed';
}

/** One task's dress, fixed at creation. */
export interface TaskWire {
  /** The brochure's error bodies and create answers, or the real relay's. */
  dialect: WireName;
  id: IdKind;
  query: QueryShape;
  video: VideoPlace;
  /** Which of a shape's spellings this task uses (counts the tasks of its shape). */
  words: number;
  /** Task records only. */
  recordUrl: RecordUrlPlace;
  /** The create answer names the upstream model (`sora_video2`) rather than the one asked for. */
  upstreamModel: boolean;
  /** The create answer carries an empty `"detail": {}`. */
  emptyDetail: boolean;
  /** The file name on the storage host (`<uuid>`), for storage URLs. */
  file: string;
}

/** A simulated task with its dress. */
export type RelayTask = SimTask & { wire: TaskWire };

export interface WireMarkers {
  brochure: boolean;
  /** `#sim:model-not-found` (503) or `#sim:no-access` (403): the create is refused, whatever the model. */
  refuse?: 'no_channel' | 'no_access';
  id?: IdKind;
  query?: QueryShape;
  video?: VideoPlace;
}

/** `#sim:brochure`, `#sim:id-veo`, `#sim:shape-record-bare`, `#sim:url-content`…: one task's dress, whatever the run's. */
export function readWireMarkers(prompt: string): WireMarkers {
  const found = new Set([...prompt.matchAll(/#sim:([a-z0-9-]+)/g)].map((m) => m[1]));
  const pick = <T extends string>(prefix: string, values: readonly T[]) => values.find((v) => found.has(`${prefix}${v}`));
  const markers: WireMarkers = { brochure: found.has('brochure') };
  const id = pick('id-', ID_KINDS);
  const query = pick('shape-', QUERY_SHAPES);
  const video = pick('url-', VIDEO_PLACES);
  if (id) markers.id = id;
  if (query) markers.query = query;
  if (video) markers.video = video;
  if (found.has('model-not-found')) markers.refuse = 'no_channel';
  else if (found.has('no-access')) markers.refuse = 'no_access';
  return markers;
}

/** The markers readWireMarkers knows, for the CLI's help. */
export const WIRE_MARKERS = [
  'brochure',
  'model-not-found',
  'no-access',
  ...ID_KINDS.map((k) => `id-${k}`),
  ...QUERY_SHAPES.map((s) => `shape-${s}`),
  ...VIDEO_PLACES.map((p) => `url-${p}`),
] as const;

/** Counts per run, for the rotations. */
export interface WireCounters {
  created: number;
  byShape: Partial<Record<QueryShape, number>>;
  records: number;
}

export function newWireCounters(): WireCounters {
  return { created: 0, byShape: {}, records: 0 };
}

/**
 * The default mix of the real wire, from what the relay's users logged (shared/juxin-api.md §2): every
 * create OpenAI-style with a `video_…` id; queries in all three shapes, task by task — the gateway's
 * record wrapped, Shape C, the bare record, the unified shape (the record half of the time: it is what the
 * relay stores and returns from its task routes); finished videos on a storage host, every third one
 * behind the relay's key-guarded `/content` instead.
 */
const REAL_QUERY_MIX: readonly QueryShape[] = ['record', 'openai', 'record-bare', 'unified'];
const REAL_VIDEO_MIX: readonly VideoPlace[] = ['storage', 'storage', 'content'];

/**
 * Decides a new task's dress, all but its storage file name (`storageFileOf` its id). `via`: the
 * multipart and remix routes only ever answer OpenAI video objects. Draws nothing from the simulator's
 * randomness, so seeded runs keep their ids and times.
 */
export function decideWire(options: WireOptions, markers: WireMarkers, counters: WireCounters, via: 'unified' | 'openai' = 'unified'): Omit<TaskWire, 'file'> {
  const serial = counters.created++;
  const dialect: WireName = markers.brochure ? 'brochure' : (options.wire ?? 'real');
  const brochure = dialect === 'brochure';
  const style = markers.brochure ? undefined : options.idStyle;
  let id: IdKind = markers.id ?? (style === 'alternate' || (!style && brochure) ? (serial % 2 ? 'video' : 'task') : (style ?? 'video'));
  if (via === 'openai') id = 'video';
  const shape = markers.brochure ? undefined : options.queryShape;
  const byId: QueryShape = id === 'video' ? 'openai' : 'unified';
  const query: QueryShape =
    markers.query ?? (shape === 'by-id' || (!shape && brochure) ? byId : !shape || shape === 'mixed' ? REAL_QUERY_MIX[serial % REAL_QUERY_MIX.length] : shape);
  const urls = markers.brochure ? undefined : options.videoUrls;
  const video: VideoPlace = markers.video ?? (!urls && brochure ? 'signed' : !urls || urls === 'mixed' ? REAL_VIDEO_MIX[serial % REAL_VIDEO_MIX.length] : urls);
  const words = counters.byShape[query] ?? 0;
  counters.byShape[query] = words + 1;
  const recordUrl = RECORD_URL_PLACES[query === 'record' || query === 'record-bare' ? counters.records++ % RECORD_URL_PLACES.length : 0];
  // The brochure's status words alternate task by task, as they always did.
  return { dialect, id, query, video, words: brochure ? serial : words, recordUrl, upstreamModel: serial % 2 === 1, emptyDetail: serial % 3 === 0 };
}

/** A uuid-shaped name derived from the task id (the storage host's `<uuid>.mp4`), without drawing randomness. */
export function storageFileOf(taskId: string): string {
  const h = createHash('sha256').update(taskId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
