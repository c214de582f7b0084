/**
 * The contract between a source and the pipeline. A connector knows only its source: it turns
 * what the source returns into RawItems and reports how far it got (a cursor). It never decides
 * cases, urgency or storage.
 */

export type Channel = 'email' | 'x' | 'form' | 'app';

export interface RawAttachment {
  name: string | null;
  contentType: string;
  size: number;
  sha256: string | null;
}

export interface RawAuthor {
  /** Email address, lower-cased, for email. */
  email?: string;
  /** Handle without the leading @, for social posts. */
  handle?: string;
  /** Stable id at the source (X user id). */
  id?: string;
  name?: string;
  followers?: number;
  verified?: boolean;
}

/** What a MIME message looked like, for recognising bounces and delivery reports. */
export interface MimeShape {
  /** Top-level content type, lower-case (`multipart/report`). */
  contentType: string;
  /** `report-type` parameter of a multipart/report. */
  reportType?: string;
  /** Content types of all parts that became attachments (message/delivery-status, ...). */
  partTypes: string[];
}

export interface RawItem {
  channel: Channel;
  /** Configured source name (an IMAP account, an X query, an import). */
  source: string;
  /** Unique within the source; re-fetching the same item yields the same id. */
  externalId: string;
  /** When the customer sent it (email Date, post created_at). */
  sentAt: Date;
  author: RawAuthor;
  subject?: string;
  /** Plain text body, as the source gave it (not yet normalised or redacted). */
  text: string;
  /** Selected header values, lower-case names (email only). */
  headers?: Record<string, string>;
  mime?: MimeShape;
  /** Email threading. Message-IDs keep their angle brackets. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Social threading. */
  conversationId?: string;
  inReplyToId?: string;
  quotedId?: string;
  /** A repost (X retweet) of this post: amplification of the original, not a complaint of its own. */
  repostOf?: string;
  lang?: string;
  url?: string;
  attachments: RawAttachment[];
  /** Where the original lives: a file path, `mbox-path#offset`, `imap:INBOX/uid`. */
  rawRef: string;
  /** Facts the connector noticed about the item itself (body truncated, found in Junk). */
  notes?: string[];
  /** Set by connectors that read a spam folder. */
  foundInSpam?: boolean;
}

/** An item the connector could not turn into a RawItem. It is quarantined, never dropped. */
export interface FailedItem {
  source: string;
  /** Same meaning as RawItem.rawRef: enough for a person to find the original. */
  rawRef: string;
  /** Stable, short machine code: `parse_error`, `parse_timeout`, `invalid_json`, ... */
  reason: string;
  /** Human-readable detail, never the secret content itself. */
  detail: string;
}

/** A position in a source, stored in the same transaction as the items it covers. */
export interface CursorUpdate {
  source: string;
  /** Sub-position within the source: an IMAP folder, an X query. */
  key: string;
  value: string;
}

export type PullEvent =
  | { kind: 'item'; item: RawItem }
  | { kind: 'failed'; failure: FailedItem }
  /** Something the connector saw and deliberately left alone (a README in an import folder). */
  | { kind: 'skipped'; rawRef: string; reason: string }
  /** Everything yielded before this event is covered by the cursor. */
  | { kind: 'cursor'; cursor: CursorUpdate };

export interface Connector {
  readonly name: string;
  /** Yields items in source order; the caller stores them and their cursors atomically. */
  pull(cursors: CursorReader): AsyncIterable<PullEvent>;
  /**
   * After a run that went well: when the source said not to call it again before (a rate-limit
   * window used up). The scheduler persists it with the source's health.
   */
  notBefore?(): Date | null;
}

export interface CursorReader {
  get(source: string, key: string): Promise<string | null>;
}
