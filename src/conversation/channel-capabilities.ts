/**
 * Channels whose petitioners cannot send photos, voice or files through them, so the bot must not
 * say "send them here". Every channel the hub ships keeps attachments as material of the case (the
 * web chat takes photos); a channel added later is assumed to, unless it is named here.
 */
const WITHOUT_ATTACHMENTS = new Set<string>();

export function takesAttachments(channel: string): boolean {
  return !WITHOUT_ATTACHMENTS.has(channel);
}

/** Declared by the channel gateway for a connected channel that cannot carry attachments. */
export function declareNoAttachments(channel: string): void {
  WITHOUT_ATTACHMENTS.add(channel);
}
