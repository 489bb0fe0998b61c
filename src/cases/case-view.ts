import type { Details } from '../domain.js';
import type { Case, Message } from '../../generated/sqlite/client.js';
import { toView, type MessageView } from '../conversation/messages.js';
import type { RoutingExplanation } from '../engine/types.js';
import { parseRouting } from './routing-reasons.js';
import type { CaseAttachment } from '../attachments/attachment-rows.js';
import { attachmentPath } from '../attachments/attachment-paths.js';

/** The case as the admin API returns it (docs/api.md, admin API: read a case). */
export interface CaseView {
  trackingNumber: string;
  status: string;
  category: string;
  department: string;
  urgency: string;
  channel: string;
  language: string;
  summary: string;
  details: Details;
  createdAt: string;
  acceptanceDueAt: string;
  resolutionDueAt: string;
  /** When the answer period was extended (once), else null. */
  resolutionExtendedAt: string | null;
  needsTriage: boolean;
  /** Why it was routed so: likeliest categories, a second one, the words that weighed most (null for older cases). */
  routing: RoutingExplanation | null;
  /** When and by whom an officer confirmed or corrected the category, else null. */
  categoryConfirmed: { at: string; by: string } | null;
  /** An emergency case: whether someone took it (who, when), and how often the supervisors were told meanwhile. */
  emergency: { acknowledged: { at: string; by: string } | null; escalations: number; escalatesAt: string | null } | null;
  /** A possible collective petition this case belongs to: similar petitions from several petitioners. */
  group: CaseGroupView | null;
  transcript: MessageView[];
  /** Every time someone was shown this case's personal data: who, when, how (admin API, case page, a page to the person on duty). */
  views: CaseReadView[];
  /** The photos, voice messages, videos and files the petitioner sent with this case's messages: what they are, never their content. */
  attachments: CaseAttachmentView[];
}

export interface CaseAttachmentView {
  id: string;
  /** The transcript message that carried it. */
  messageId: string;
  kind: string;
  contentType: string;
  size: number;
  createdAt: string;
  /** Where an officer opens it: the console's route (a path on the hub; sign-in and the case's scope apply, and each opening is recorded). */
  url: string;
  /** A small preview of an image, by the same rules; null for other kinds. */
  thumbnailUrl: string | null;
}

export interface CaseReadView {
  at: string;
  by: string;
  via: string;
}

export interface CaseGroupView {
  id: string;
  /** Cases in the group, this one included. */
  size: number;
  trackingNumbers: string[];
}

export function toCaseView(c: Case, transcript: Message[], group: CaseGroupView | null = null, views: CaseReadView[] = [], attachments: CaseAttachment[] = []): CaseView {
  return {
    trackingNumber: c.trackingNumber,
    status: c.status,
    category: c.category,
    department: c.department,
    urgency: c.urgency,
    channel: c.channel,
    language: c.language,
    summary: c.summary,
    details: JSON.parse(c.details) as Details,
    createdAt: c.createdAt.toISOString(),
    acceptanceDueAt: c.acceptanceDueAt.toISOString(),
    resolutionDueAt: c.resolutionDueAt.toISOString(),
    resolutionExtendedAt: c.resolutionExtendedAt?.toISOString() ?? null,
    needsTriage: c.needsTriage,
    routing: parseRouting(c.routing),
    categoryConfirmed: c.categoryConfirmedAt ? { at: c.categoryConfirmedAt.toISOString(), by: c.categoryConfirmedBy ?? '' } : null,
    emergency:
      c.urgency === 'emergency'
        ? {
            acknowledged: c.emergencyAckAt ? { at: c.emergencyAckAt.toISOString(), by: c.emergencyAckBy ?? '' } : null,
            escalations: c.emergencyEscalations,
            escalatesAt: c.emergencyEscalateAt?.toISOString() ?? null,
          }
        : null,
    group,
    transcript: transcript.map(toView),
    views,
    attachments: attachments.map((a) => ({
      id: a.id, messageId: a.messageId, kind: a.kind, contentType: a.contentType, size: a.size, createdAt: a.createdAt.toISOString(),
      url: attachmentPath(c.trackingNumber, a.id), thumbnailUrl: a.hasThumbnail ? attachmentPath(c.trackingNumber, a.id, true) : null,
    })),
  };
}
