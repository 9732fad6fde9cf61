import type { ProblemSeverity, StoryboardProblem } from './types';

/** A problem at a 0-based line; the message names the 1-based line a person sees in the editor. */
export function problemAt(severity: ProblemSeverity, line: number, message: string, messageZh: string, clipIndex?: number): StoryboardProblem {
  const problem: StoryboardProblem = {
    severity,
    line,
    message: `Line ${line + 1}: ${message}`,
    messageZh: `第 ${line + 1} 行：${messageZh}`,
  };
  if (clipIndex !== undefined) problem.clipIndex = clipIndex;
  return problem;
}

export function hasErrors(problems: readonly StoryboardProblem[], clipIndex?: number): boolean {
  return problems.some((p) => p.severity === 'error' && (clipIndex === undefined || p.clipIndex === undefined || p.clipIndex === clipIndex));
}
