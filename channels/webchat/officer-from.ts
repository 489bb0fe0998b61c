import type { MessageView } from '../../src/conversation/messages.js';

/**
 * A web chat message as the widget gets it: Message / BotMessage (docs/api.md, message shapes) plus, on officer
 * messages, an optional `from` — the name of the department the officer answers for, in the
 * conversation's language (a compatible extension: clients that do not know it ignore it).
 */
export type WebchatMessage = MessageView & { from?: string };

/** The case service's answer to "which department was this conversation's case with then?". */
export type DepartmentsAt = (conversationId: string, moments: Date[]) => Promise<(string | undefined)[]>;

/**
 * Names the department behind each officer message. Officer messages of a live hand-off before any
 * case was filed get no `from`.
 */
export class OfficerLabels {
  constructor(private readonly departmentsAt: DepartmentsAt) {}

  async label(conversationId: string, messages: MessageView[]): Promise<WebchatMessage[]> {
    const officer = messages.filter((m) => m.role === 'officer');
    if (officer.length === 0) return messages;
    const names = await this.departmentsAt(conversationId, officer.map((m) => new Date(m.createdAt)));
    const from = new Map(officer.map((m, i) => [m.id, names[i]]));
    return messages.map((m) => {
      const name = from.get(m.id);
      return name === undefined ? m : { ...m, from: name };
    });
  }
}
