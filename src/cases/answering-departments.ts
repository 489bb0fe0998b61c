import type { Locale } from '../domain.js';
import type { Db } from '../db/client.js';
import type { Router } from './routing.js';

interface Marker {
  at: number;
  department: string;
}

/**
 * Which department a conversation's case was with at given moments: its filing department, or the
 * last transfer (or corrected category) before the moment, named in the case's language. What the petitioner is told about
 * who answers them; the officer's own identity never leaves the hub.
 */
export class AnsweringDepartments {
  constructor(private readonly deps: { db: Db; router: Router }) {}

  /** For each moment, the department's name; undefined before the conversation's first case was filed. */
  async at(conversationId: string, moments: Date[]): Promise<(string | undefined)[]> {
    if (moments.length === 0) return [];
    const { db, router } = this.deps;
    const cases = await db.case.findMany({
      where: { conversationId },
      select: { id: true, department: true, language: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
    if (cases.length === 0) return moments.map(() => undefined);
    const events = await db.caseEvent.findMany({
      where: { caseId: { in: cases.map((c) => c.id) }, type: { in: ['filed', 'transfer', 'categorise'] } },
      select: { caseId: true, data: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
    const markers = new Map<string, Marker[]>();
    for (const e of events) {
      const department = departmentOf(e.data);
      if (department) markers.set(e.caseId, [...(markers.get(e.caseId) ?? []), { at: e.createdAt.getTime(), department }]);
    }
    return moments.map((moment) => {
      const at = moment.getTime();
      const c = cases.findLast((x) => x.createdAt.getTime() <= at);
      if (!c) return undefined;
      const department = markers.get(c.id)?.findLast((x) => x.at <= at)?.department ?? c.department;
      const locale: Locale = c.language === 'en' ? 'en' : 'zh-CN';
      return router.departmentLabel(department)[locale];
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
