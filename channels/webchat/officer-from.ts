import type { Locale } from '../../src/domain.js';
import type { Db } from '../../src/db/client.js';
import type { MessageView } from '../../src/conversation/messages.js';

/**
 * A web chat message as the widget gets it: CONTRACTS.md's Message / BotMessage plus, on officer
 * messages, an optional `from` — the name of the department the officer answers for, in the
 * conversation's language (a compatible extension: clients that do not know it ignore it).
 */
export type WebchatMessage = MessageView & { from?: string };

export type DepartmentLabel = (department: string) => Record<Locale, string>;

interface Marker {
  at: number;
  department: string;
}

/**
 * Names the department behind each officer message: the department the conversation's case was
 * with when the message was written (its filing department, or the last transfer before it).
 * Officer messages of a live hand-off before any case was filed get no `from`. The officer's own
 * identity (Message.author) is never shown to the petitioner.
 */
export class OfficerLabels {
  constructor(
    private readonly db: Db,
    private readonly departmentLabel: DepartmentLabel | undefined,
  ) {}

  async label(conversationId: string, messages: MessageView[]): Promise<WebchatMessage[]> {
    if (!this.departmentLabel || !messages.some((m) => m.role === 'officer')) return messages;
    const cases = await this.db.case.findMany({
      where: { conversationId },
      select: { id: true, department: true, language: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
    if (cases.length === 0) return messages;
    const events = await this.db.caseEvent.findMany({
      where: { caseId: { in: cases.map((c) => c.id) }, type: { in: ['filed', 'transfer'] } },
      select: { caseId: true, data: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
    const markers = new Map<string, Marker[]>();
    for (const e of events) {
      const department = departmentOf(e.data);
      if (!department) continue;
      const list = markers.get(e.caseId) ?? [];
      list.push({ at: e.createdAt.getTime(), department });
      markers.set(e.caseId, list);
    }
    return messages.map((m) => {
      if (m.role !== 'officer') return m;
      const at = Date.parse(m.createdAt);
      const c = [...cases].reverse().find((x) => x.createdAt.getTime() <= at);
      if (!c) return m;
      const department = [...(markers.get(c.id) ?? [])].reverse().find((x) => x.at <= at)?.department ?? c.department;
      const locale: Locale = c.language === 'en' ? 'en' : 'zh-CN';
      return { ...m, from: this.departmentLabel?.(department)[locale] ?? department };
    });
  }
}

function departmentOf(data: string | null): string | undefined {
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(data) as { department?: unknown };
    return typeof parsed.department === 'string' ? parsed.department : undefined;
  } catch {
    return undefined;
  }
}
