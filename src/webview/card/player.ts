import { el } from '../dom';
import type { CardMedia } from './protocol';

/**
 * The video of the card. The element is made once per source (never on a progress tick), so playback
 * is not interrupted while the card refreshes. A saved video arrives as bytes through the host
 * (`resources/read`) and plays from a `data:` URI, which every host's CSP for MCP Apps allows and which
 * needs no network route from the browser to this machine (remote windows).
 */
export class CardPlayer {
  readonly element = el('div', { className: 'stage', attrs: { 'data-testid': 'stage' } });
  private key: string | undefined;

  constructor(
    /** Fetches a resource's bytes (base64) through the host. */
    private readonly readBytes: (uri: string) => Promise<string>,
    private readonly onLoadFailed: () => void,
  ) {}

  update(media: CardMedia | undefined, poster: string | undefined, label: string, portrait: boolean): void {
    this.element.classList.toggle('portrait', portrait);
    const key = media ? `${media.kind}:${media.kind === 'remote' ? media.url : media.kind === 'inline' ? media.uri : media.bytes}` : `none:${poster ?? ''}`;
    if (key === this.key) return;
    this.key = key;
    if (!media || media.kind === 'tooLarge') {
      this.element.replaceChildren(poster ? el('img', { className: 'poster', attrs: { src: poster, alt: '', 'data-testid': 'poster' } }) : placeholder());
      return;
    }
    const video = el('video', { attrs: { controls: '', preload: 'metadata', playsinline: '', 'data-testid': 'player' } });
    video.setAttribute('aria-label', label);
    if (poster) video.poster = poster;
    video.addEventListener('error', () => this.onLoadFailed());
    this.element.replaceChildren(video);
    if (media.kind === 'remote') {
      video.src = media.url;
      return;
    }
    this.element.classList.add('loading');
    this.readBytes(media.uri)
      .then((base64) => {
        if (this.key !== key) return;
        video.src = `data:video/mp4;base64,${base64}`;
      })
      .catch(() => this.key === key && this.onLoadFailed())
      .finally(() => this.element.classList.remove('loading'));
  }

  /** The player's element, once there is one (for the "no sound here" check on a failed load). */
  get video(): HTMLVideoElement | undefined {
    return this.element.querySelector('video') ?? undefined;
  }
}

function placeholder(): HTMLElement {
  return el('div', { className: 'placeholder', attrs: { 'aria-hidden': 'true', 'data-testid': 'placeholder' } });
}
