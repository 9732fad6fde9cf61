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
  newStoryboard: 'juxinSora.storyboard.new',
  newStoryboardFromSubtitles: 'juxinSora.storyboard.newFromSubtitles',
  writeShotPrompts: 'juxinSora.storyboard.writeShots',
  generateStoryboard: 'juxinSora.storyboard.generateAll',
  generateClip: 'juxinSora.storyboard.generateClip',
  assembleStoryboard: 'juxinSora.storyboard.assemble',
  playClip: 'juxinSora.storyboard.playClip',
  playStoryboard: 'juxinSora.storyboard.playAll',
  openStoryboardView: 'juxinSora.storyboard.open',
  addVideoToStoryboard: 'juxinSora.storyboard.addVideo',
  copyCharacter: 'juxinSora.characters.copy',
  addCharacterToCast: 'juxinSora.characters.addToCast',
  refreshCharacters: 'juxinSora.characters.refresh',
} as const;

export const VIDEOS_VIEW_ID = 'juxinSora.videos';
export const PREVIEW_VIEW_TYPE = 'juxinSora.preview';
export const STORYBOARD_VIEW_TYPE = 'juxinSora.storyboard';
export const CHARACTERS_VIEW_ID = 'juxinSora.characters';
export const WALKTHROUGH_ID = 'juxin-sora.juxin-sora#juxinSora.gettingStarted';
