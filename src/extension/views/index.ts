export { registerVideosView, VideosViewProvider, type VideosViewRegistration } from './videosView';
export { registerPreviewPanel, PreviewManager, type PreviewPanels } from './previewManager';
export { registerTaskMenu, taskMenuCommand } from './taskMenu';
