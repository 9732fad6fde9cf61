export { registerVideosView, VideosViewProvider } from './videosView';
export { PreviewManager } from './previewPanel';
