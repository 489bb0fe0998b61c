import type { Details, Locale } from '../domain.js';
import type { RoutingDecision } from '../engine/types.js';
import type { CategoryGuess } from '../nlu/understanding.js';
import type { RoutingTable } from './routing-defaults.js';

export class Router {
  constructor(
    readonly table: RoutingTable,
    private readonly classify: (text: string) => CategoryGuess,
    private readonly threshold: number,
  ) {}

  /** Routes on what the petitioner said happened and to whom; place and contact details add noise. */
  route(details: Details): RoutingDecision {
    const text = [details.issue, details.parties, details.desiredOutcome].filter(Boolean).join('\n');
    const guess = this.classify(text);
    const known = this.table.categories[guess.code] ? guess.code : 'other';
    // Below the threshold a person triages rather than the case waiting in a wrong department.
    const confident = guess.score >= this.threshold;
    const category = known;
    const department = confident ? this.table.categories[category].department : this.table.categories.other.department;
    return {
      category,
      categoryScore: guess.score,
      department,
      departmentLabel: this.departmentLabel(department),
      needsTriage: !confident,
    };
  }

  departmentLabel(department: string): Record<Locale, string> {
    const entry = this.table.departments[department];
    return entry ? { 'zh-CN': entry.zh, en: entry.en } : { 'zh-CN': department, en: department };
  }

  hasDepartment(department: string): boolean {
    return Boolean(this.table.departments[department]);
  }
}
