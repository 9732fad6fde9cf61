// The implementation is shared with the plain-Node VS Code harness (test/vscode/*.mjs): see wait.cjs.
export { UI_DEADLINE_MS, VIDEO_DEADLINE_MS, waitUntil } from './wait.cjs';
