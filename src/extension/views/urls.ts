// The rule is pure and shared with the pages; it lives beside them.
export { isAllowedRemoteUrl, originOf } from '../../webview/model/urls';
