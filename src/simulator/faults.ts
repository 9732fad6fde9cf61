import { z } from 'zod';
import { REFUSAL_WORDINGS } from './relayErrors';

/** Fault injection from code or `POST /__sim/faults` (prompt markers live in markers.ts). See README.md. */

export const FAULT_KINDS = [
  'rate_limit',
  'server_error',
  'html_200',
  'cut_download',
  'expired_url',
  'malformed_json',
  'not_json',
  'huge_body',
  'hang',
  'model_not_found',
  'no_access',
  'quota',
  'invalid_url',
  'task_not_exist',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const FAULT_TARGETS = ['create', 'query', 'download', 'remix', 'character', 'models', 'any'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];
/** The kind of request a fault can hit. */
export type RequestTarget = Exclude<FaultTarget, 'any'>;

export const FaultSpecSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  /** Which requests it hits (default 'any'; 'download' for cut_download and expired_url). */
  on: z.enum(FAULT_TARGETS).optional(),
  /** How many requests it hits before it is used up (default 1). */
  times: z.number().int().positive().optional(),
  /** For rate_limit: the Retry-After header, seconds (default 1). */
  retryAfterSeconds: z.number().nonnegative().optional(),
  /** For server_error: 500, 502, 503 or 504 (default 502). */
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
  /** For cut_download: body bytes sent before the connection is destroyed (default half the file). */
  afterBytes: z.number().int().nonnegative().optional(),
  /** For huge_body: how many bytes of JSON (default 6 MiB, past what a client should read). */
  bytes: z.number().int().positive().optional(),
  /** For model_not_found and no_access: the model named (default sora-2). */
  model: z.string().min(1).optional(),
  /** For model_not_found: the relay's wording (default current). */
  wording: z.enum(REFUSAL_WORDINGS).optional(),
});
export type FaultSpec = z.infer<typeof FaultSpecSchema>;

// These only make sense on a download; with `on: 'any'` they wait for one instead of being used up
// by the first query.
const DOWNLOAD_ONLY: readonly FaultKind[] = ['cut_download', 'expired_url'];

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class FaultController {
  private faults: ActiveFault[] = [];

  /** Adds a fault; throws with a readable message when the spec is wrong. */
  add(spec: FaultSpec): void {
    const parsed = FaultSpecSchema.safeParse(spec);
    if (!parsed.success) throw new Error(`bad fault ${JSON.stringify(spec)}: ${z.prettifyError(parsed.error)}`);
    const fault = parsed.data;
    const on = fault.on ?? (DOWNLOAD_ONLY.includes(fault.kind) ? 'download' : 'any');
    this.faults.push({ ...fault, on, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The faults still armed, `times` being what is left of each. */
  list(): FaultSpec[] {
    return this.faults.map(({ remaining, ...f }) => ({ ...f, times: remaining }));
  }

  /** Takes the first armed fault that applies to this request, counting it down. */
  take(target: RequestTarget): FaultSpec | undefined {
    const index = this.faults.findIndex((f) => (f.on === target || f.on === 'any') && (target === 'download' || !DOWNLOAD_ONLY.includes(f.kind)));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    const { remaining: _left, ...spec } = fault;
    return spec;
  }
}
