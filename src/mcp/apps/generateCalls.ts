/**
 * Which task a generate_video call created. The chat card of a generation knows the call's arguments
 * at once but the task id only when the call answers, minutes later (it waits for the video). Until
 * then it asks by prompt, and the server answers from this list of its own session's calls: the newest
 * call with that prompt (a second identical request would follow the newest; the final tool result
 * then tells each card its own task).
 */
export interface GenerateCall {
  prompt: string;
  /** Set once Juxin accepted the task. */
  taskId?: string;
  /** Set when the call failed before a task existed (no key, bad parameters, the create refused). */
  error?: string;
}

export class GenerateCalls {
  private readonly calls: GenerateCall[] = [];

  constructor(private readonly max = 50) {}

  /** A call starts: returns how to record its outcome. */
  begin(prompt: string): { created(taskId: string): void; failed(message: string): void } {
    const call: GenerateCall = { prompt: normalize(prompt) };
    this.calls.push(call);
    if (this.calls.length > this.max) this.calls.shift();
    return {
      created: (taskId) => (call.taskId = taskId),
      failed: (message) => (call.error = message),
    };
  }

  /** The newest call with this prompt, if this session made one. */
  find(prompt: string): GenerateCall | undefined {
    const wanted = normalize(prompt);
    for (let i = this.calls.length - 1; i >= 0; i--) if (this.calls[i].prompt === wanted) return { ...this.calls[i] };
    return undefined;
  }
}

function normalize(prompt: string): string {
  return prompt.trim();
}
