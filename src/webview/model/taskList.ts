import type { TaskSnapshot } from '../protocol';

/**
 * The list the sidebar keeps between messages: newest first. An update replaces a task where it is
 * (so items don't jump while they progress); a new task goes where its creation time puts it.
 */
export function upsertTask(tasks: readonly TaskSnapshot[], task: TaskSnapshot): TaskSnapshot[] {
  const at = tasks.findIndex((t) => t.id === task.id);
  if (at >= 0) return tasks.map((t, i) => (i === at ? task : t));
  const before = tasks.findIndex((t) => t.createdAt <= task.createdAt);
  return before < 0 ? [...tasks, task] : [...tasks.slice(0, before), task, ...tasks.slice(before)];
}

export function removeTask(tasks: readonly TaskSnapshot[], id: string): TaskSnapshot[] {
  return tasks.filter((t) => t.id !== id);
}
