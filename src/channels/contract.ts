/**
 * The one contract between the hub and a channel (WeChat, the web chat, Slack direct messages, a
 * personal WeChat account through Wechaty, or a new one such as DingTalk or Feishu).
 *
 * A channel turns what arrives into an InboundMessage and hands it to its ChannelHub; if the hub has
 * to reach the petitioner later (an officer's message, a status notice, an answer too slow for the
 * platform's reply), the channel gives the hub a Deliverer. A channel holds no database code: what it
 * needs to remember (deliveries seen, access tokens, what was delivered) it asks the hub for here.
 * Like bolt-js's Receiver and wechaty's Puppet, the hub side never changes for a new channel.
 */
import type { Locale } from '../domain.js';
import type { AttachmentKinds } from '../engine/types.js';

export type { AttachmentKinds };
import type { MessageView } from '../conversation/messages.js';
import type { Logger } from '../logger.js';

export type AttachmentKind = 'image' | 'voice' | 'video' | 'file';

/** A photo, voice message, video or file as the platform offers it, downloaded only by the hub. */
export interface InboundAttachment {
  kind: AttachmentKind;
  /** What the platform says the content is; the hub believes only what the bytes show. */
  declaredType?: string;
  /** The file name the sender gave, if any (personal data: kept, never logged). */
  name?: string;
  /** What the platform calls the file (a media id), noted in the conversation if it cannot be fetched. */
  reference?: string;
  /** A transcript the platform made (WeChat voice recognition). */
  transcript?: string;
  /**
   * Fetches the content, at most `maxBytes` of it (more is refused with an error). The hub calls it
   * once, at once: platform media ids expire (WeChat's after three days).
   */
  download(maxBytes: number): Promise<Buffer>;
}

export interface InboundLocation {
  latitude: number;
  longitude: number;
  label?: string;
}

/** One message as every channel hands it to the hub. */
export interface InboundMessage {
  /** The sender as the channel knows them: an openid, a Slack user id, a room and contact. */
  senderId: string;
  /**
   * The platform's id for this message. The same id again (a platform's retry, a double click) is
   * answered with what was stored the first time, never taken twice.
   */
  messageId: string;
  /** The conversation, when the channel knows it (a web chat session, a button on an earlier message). */
  conversationId?: string;
  text?: string;
  location?: InboundLocation;
  attachments?: InboundAttachment[];
  /**
   * The person arrived rather than wrote (followed the account, opened the chat): a new
   * conversation's greeting, or a hello in their existing one.
   */
  arrival?: boolean;
  /** A link the sender shared (kept as it is; nothing is fetched from it). */
  link?: { title?: string; url: string };
  /** The language to start a new conversation in; zh-CN when not known. */
  locale?: Locale;
  /** The client's network address, for the status-query guard (web chat). */
  address?: string;
}

/**
 * How the answer to a message reaches the sender: `inline` when the channel answers in the
 * platform's own reply (an HTTP response, WeChat's passive reply), so the hub hands the replies back;
 * `push` when the hub sends them through the channel's Deliverer.
 */
export type AnswerMode = 'inline' | 'push';

export interface Received {
  conversationId: string;
  /** The hub's answers to this message (bot replies), in order; already sent in push mode. */
  replies: MessageView[];
  /** A new conversation was started for it: its greeting, not yet delivered in inline mode. */
  greeting: MessageView[];
}

/** Who a delivery goes to: the petitioner's id on the channel, and their conversation. */
export interface Recipient {
  conversationId: string;
  senderId: string;
}

/**
 * Sends one message to one person. Resolves once the platform took it; throws `RetryLater` (from
 * the outbox) when the platform asks to wait, `Unreachable` when only the petitioner writing again
 * can help, anything else to be retried with backoff. Messages go out in order, one at a time.
 */
export interface Deliverer {
  deliver(to: Recipient, message: MessageView): Promise<void>;
}

/**
 * The petitioner cannot be reached now (they left the organisation's directory, unfollowed the
 * account): the push becomes a dead letter, and what is waiting goes out when they write again.
 */
export class Unreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unreachable';
  }
}

/** What a platform's token endpoint gave: the token and how many seconds it lives. */
export interface TokenGrant {
  token: string;
  expiresInS: number;
}

/** Access tokens of messaging platforms' APIs, one per credential, shared by every hub instance. */
export interface AccessTokens {
  /**
   * A token for `credential`: the stored one while it is fresh and is not `refused` (the platform
   * just turned it down), else one that `fetch` gets, fetched once however many ask at once, here
   * or on other instances.
   */
  get(credential: string, fetch: () => Promise<TokenGrant>, refused?: string): Promise<string>;
}

/** What the hub offers a channel. Every call is about this channel's own conversations only. */
export interface ChannelHub {
  readonly channel: string;
  readonly logger: Logger;
  /**
   * Takes a message: finds (or starts) the sender's conversation, keeps any attachment as material
   * of the case, runs the turn and answers. In push mode a message that cannot be taken (too long,
   * empty, a refused file) is answered with an apology through the Deliverer; in inline mode that
   * comes back as a HubError for the channel to say its own way.
   */
  receive(message: InboundMessage, mode: AnswerMode): Promise<Received>;
  /** The first time a platform delivery is seen true, its retries false (kept two days). */
  firstDelivery(deliveryId: string): Promise<boolean>;
  /**
   * Claims a key once, bound to `binding`: true the first time and whenever the same binding comes
   * again, false when the key was already claimed for another (a replayed WeChat nonce). The claim
   * is forgotten after `keepMs`, once nothing could be refused by it any more.
   */
  claimOnce(key: string, binding: string, keepMs: number): Promise<boolean>;
  /** Messages the platform's own reply just gave the petitioner (WeChat's passive reply). */
  delivered(messageIds: readonly string[]): Promise<void>;
  /** Sends now whatever waits for this sender (they just wrote: a platform's reply window is open). */
  pushPending(senderId: string): Promise<void>;
  /** Whether a conversation is this sender's on this channel (a button pressed in a shared place). */
  owns(conversationId: string, senderId: string): Promise<boolean>;
  /** Access tokens shared by every instance of the hub. */
  readonly tokens: AccessTokens;
  /** The largest attachment the hub takes, in bytes: a channel that receives uploads refuses more. */
  readonly attachmentLimit: number;
  /**
   * For channels whose petitioners fetch their messages (the web chat): a conversation started
   * before the first message, with a credential (only its hash is kept) the channel checks itself.
   */
  start(input: SessionStart): Promise<{ conversationId: string; messages: MessageView[] }>;
  /** The conversation's sender and credential hash, or null when it is not a conversation of this channel. */
  credential(conversationId: string): Promise<{ senderId: string; hash: string | null } | null>;
  /** A conversation's messages, after the one with id `afterId` when given. */
  history(conversationId: string, afterId?: string): Promise<MessageView[]>;
  /** Messages for the petitioner as they are written, by this instance or any other. */
  readonly live: LiveFeed;
}

export interface SessionStart {
  senderId: string;
  conversationId: string;
  locale: Locale;
  credentialHash?: string;
  /** Look for the sender's earlier conversations: greet them back, take up their draft. */
  recognise?: boolean;
}

/**
 * Messages written for watched conversations that were not a direct answer (officers' messages,
 * status notices), from this instance at once and from the others within a poll interval.
 */
export interface LiveFeed {
  watch(conversationId: string): Promise<void>;
  forget(conversationId: string): void;
  listen(listener: (conversationId: string, messages: MessageView[]) => void): void;
}

/** A channel as the hub connects it. */
export interface Channel {
  /** The channel's name in the hub (stored on conversations): `wechat-oa`, `slack`, `dingtalk`… */
  readonly name: string;
  /** For channels the hub pushes to; without one, messages wait for the channel to fetch them. */
  readonly deliverer?: Deliverer;
  /**
   * What petitioners can send through it besides words: `any` (photos, voice, video, files; the
   * default), `photos` only, or `none`. The bot answers "can I send photos?" by it, never asking for
   * what the channel cannot carry.
   */
  readonly attachments?: AttachmentKinds;
  /** Starts taking messages, handing them to `hub`. */
  connect(hub: ChannelHub): Promise<void> | void;
  stop?(): Promise<void>;
}
