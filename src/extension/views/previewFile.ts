import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * What a preview page may read of the disk: one folder of its own, holding only the video. The
 * video's own folder is the download folder, which a user may set to the home folder or a workspace:
 * as a resource root, the page could then load anything below it. VS Code refuses a root that is the
 * file itself (only what is below a root loads), so the page's root is a private folder per task with
 * a link to the video: a symlink, a hard link where symlinks need privileges (Windows), else a copy.
 */
export class PreviewFile {
  private readonly folder: string;

  constructor(storage: string, taskId: string) {
    this.folder = path.join(storage, 'preview-media', createHash('sha256').update(taskId).digest('hex').slice(0, 24));
  }

  /** The folder to give as the page's resource root. */
  get root(): string {
    return this.folder;
  }

  /** Puts `video` (alone) into the preview's folder; returns the path the page loads. */
  expose(video: string): string {
    rmSync(this.folder, { recursive: true, force: true });
    mkdirSync(this.folder, { recursive: true });
    const served = path.join(this.folder, `video${path.extname(video).toLowerCase() || '.mp4'}`);
    try {
      symlinkSync(video, served, 'file');
    } catch {
      try {
        linkSync(video, served);
      } catch {
        copyFileSync(video, served);
      }
    }
    return served;
  }

  /** Removes the folder (the panel closed); the video itself stays. */
  release(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}
