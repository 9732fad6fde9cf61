/** Every command id, in one place (package.json contributes the same ids). */
export const Commands = {
  setApiKey: 'juxinSora.setApiKey',
  removeApiKey: 'juxinSora.removeApiKey',
  generate: 'juxinSora.generateVideo',
  showVideos: 'juxinSora.showVideos',
  openVideo: 'juxinSora.openVideo',
  downloadVideo: 'juxinSora.downloadVideo',
  copyVideoUrl: 'juxinSora.copyVideoUrl',
  revealInOS: 'juxinSora.revealInOS',
  playInSystemPlayer: 'juxinSora.playInSystemPlayer',
  remixVideo: 'juxinSora.remixVideo',
  createCharacter: 'juxinSora.createCharacter',
  openGettingStarted: 'juxinSora.openGettingStarted',
  openFile: 'juxinSora.openFile',
  retry: 'juxinSora.retry',
  removeFromHistory: 'juxinSora.removeFromHistory',
  openSpendSettings: 'juxinSora.openSpendSettings',
} as const;

export const VIDEOS_VIEW_ID = 'juxinSora.videos';
export const PREVIEW_VIEW_TYPE = 'juxinSora.preview';
export const WALKTHROUGH_ID = 'juxin-sora.juxin-sora#juxinSora.gettingStarted';
