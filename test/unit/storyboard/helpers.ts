import assert from 'node:assert/strict';

import type { StoryboardProblem } from '../../../src/storyboard';

/**
 * A Sora storyboard written before still opens and means what it meant; its one problem now is the
 * warning, at its model line, that Sora 2 was retired, naming the model to use instead.
 */
export function assertOnlyRetiredWarning(problems: readonly StoryboardProblem[], line: number): void {
  assert.deepEqual(
    problems.map((p) => [p.severity, p.line]),
    [['warning', line]],
    problems.map((p) => p.message).join('\n'),
  );
  assert.match(problems[0].message, new RegExp(`^Line ${line + 1}: sora-2(-pro)? \\(Sora 2\\) was retired on 2026-09-24: .*Change the model to veo3\\.1-fast`));
  assert.match(problems[0].messageZh, new RegExp(`^第 ${line + 1} 行：sora-2(-pro)?（Sora 2）已于 2026-09-24 下线：.*veo3\\.1-fast`));
}
