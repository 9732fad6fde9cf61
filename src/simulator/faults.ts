/** Fault injection: code, `POST /__sim/faults`, or markers in the prompt (see README.md). */

export const FAULT_KINDS = ['rate_limit', 'server_error', 'html_200', 'cut_download', 'expired_url', 'malformed_json', 'hang'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const FAULT_TARGETS = ['create', 'query', 'download', 'remix', 'character', 'any'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** Which requests it hits (default 'any'). */
  on?: FaultTarget;
  /** How many requests it hits before it is used up (default 1). */
  times?: number;
  retryAfterSeconds?: number;
  /** For server_error: 500, 502, 503 or 504 (default 502). */
  status?: number;
  /** For cut_download: bytes sent before the connection is destroyed (default half the file). */
  afterBytes?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class FaultController {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    if (!FAULT_KINDS.includes(spec.kind)) throw new Error(`unknown fault kind ${spec.kind}: use one of ${FAULT_KINDS.join(', ')}`);
    if (spec.on && !FAULT_TARGETS.includes(spec.on)) throw new Error(`unknown fault target ${spec.on}: use one of ${FAULT_TARGETS.join(', ')}`);
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f, times: f.remaining }));
  }

  /** Takes the first fault that applies to this request, counting it down. */
  take(target: Exclude<FaultTarget, 'any'>): FaultSpec | undefined {
    const index = this.faults.findIndex((f) => (f.on ?? 'any') === target || (f.on ?? 'any') === 'any');
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }
}

/** Per-task behaviour chosen by a marker in the prompt, e.g. "a cat #sim:moderation". */
export interface PromptMarkers {
  moderation: boolean;
  failNoReason: boolean;
  never: boolean;
  expired: boolean;
  cut: boolean;
  slowQueue: boolean;
}

export function readMarkers(prompt: string): PromptMarkers {
  const has = (m: string) => prompt.includes(`#sim:${m}`);
  return {
    moderation: has('moderation'),
    failNoReason: has('fail-no-reason'),
    never: has('never'),
    expired: has('expired'),
    cut: has('cut'),
    slowQueue: has('slow-queue'),
  };
}
