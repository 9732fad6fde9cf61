// The snapshot rule is shared with the MCP server's chat card, so it lives with the page model.
export { toSnapshot, type SnapshotContext } from '../../webview/model/snapshot';
