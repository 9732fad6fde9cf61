/** See wait.cjs. */
export declare function waitUntil<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms: number,
  what: string,
  everyMs?: number,
): Promise<T>;
/** The most a real VS Code may take to react to one step. */
export declare const UI_DEADLINE_MS: number;
/** The most one video may take end to end in a real VS Code against the simulator. */
export declare const VIDEO_DEADLINE_MS: number;
