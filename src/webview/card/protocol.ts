/**
 * The chat card (an MCP App, `ui://` resource) and the MCP server talk through two app-only tools,
 * called by the card through the host (`tools/call`). Types only: imported by both sides. The server
 * checks every argument with zod; the card treats every answer as data and renders text as text.
 */
import type { TaskSnapshot } from '../protocol';

/** The card's own HTML, served by the MCP server as an MCP App. */
export const CARD_URI = 'ui://juxin-sora/player-card.html';

/** App-only tools (`_meta.ui.visibility: ["app"]`): the model never sees them. */
export const CARD_STATE_TOOL = 'sora_card_state';
export const CARD_ACTION_TOOL = 'sora_card_action';

/** A saved video small enough to travel to the card through `resources/read` (base64). */
export const VIDEO_URI_PREFIX = 'juxin-sora://videos/';

/** What the card may ask the server (and through it, VS Code) to do with a task. */
export type CardAction = 'openPreview' | 'reveal' | 'copyUrl' | 'playExternal' | 'addToStoryboard';

/**
 * How the video gets into the card's sandbox. `inline`: the bytes through `resources/read`, shown as a
 * `data:` URI (works in local and remote windows: the bytes travel over the MCP connection).
 * `remote`: before the download, an https URL (or the configured API origin), which the card's CSP
 * allows. `tooLarge`: the poster and the preview panel instead.
 */
export type CardMedia = { kind: 'inline'; uri: string; bytes: number } | { kind: 'remote'; url: string } | { kind: 'tooLarge'; bytes: number };

export interface CardStateRequest {
  /** The task to show (wait_for_video, get_video_status, or once generate_video has answered). */
  task_id?: string;
  /** generate_video's prompt, while the call has not answered yet: the server finds the task it created. */
  prompt?: string;
  /** The language the card speaks, for the server's own wording (next steps of tracking problems). */
  lang?: 'en' | 'zh';
}

export interface CardState {
  /** Absent while generate_video is still creating the task. */
  task?: TaskSnapshot;
  /** generate_video failed before a task existed: its message (English and Chinese), for the card to show. */
  startError?: string;
  /** The task is not (or no longer) in the history: nothing more will come. */
  missing?: boolean;
  media?: CardMedia;
  /** The sound track of the saved file, so the card can say when the host cannot play it. */
  audio?: { codec: string; codecString?: string };
  /** The actions this server offers for this task now (VS Code offers more than the standalone server). */
  actions: CardAction[];
  /** remix_video would accept this task (completed and public). */
  canRemix: boolean;
}

export interface CardActionRequest {
  task_id: string;
  action: CardAction;
}

export interface CardActionResult {
  ok: boolean;
  /** copyUrl without VS Code: the URL, for the card to put on the clipboard itself. */
  url?: string;
}
