import type { Details, Locale } from '../domain.js';
import type { RoutingDecision } from '../engine/types.js';
import type { CategoryGuess } from '../nlu/understanding.js';
import type { RoutingTable } from './routing-defaults.js';

/** Only for a classifier that brings no threshold of its own. */
const DEFAULT_THRESHOLD = 0.35;

export class Router {
  constructor(
    readonly table: RoutingTable,
    private readonly classify: (text: string) => CategoryGuess,
    /** CATEGORY_THRESHOLD when set; otherwise the model's own (see CategoryClassifier). */
    private readonly threshold?: number,
  ) {}

  /** Routes on what the petitioner said happened and to whom; place and contact details add noise. */
  static text(details: Details): string {
    return [details.issue, details.parties, details.desiredOutcome].filter(Boolean).join('\n');
  }

  /** @param guess the classifier's guess for Router.text(details), when it was made elsewhere (an NLU thread). */
  route(details: Details, guess: CategoryGuess = this.classify(Router.text(details))): RoutingDecision {
    const known = this.table.categories[guess.code] ? guess.code : 'other';
    // Below the threshold a person triages rather than the case waiting in a wrong department.
    const confident = guess.score >= (this.threshold ?? guess.threshold ?? DEFAULT_THRESHOLD);
    const category = known;
    const routed = this.table.categories[category].department;
    // A complaint about the department itself must never be handled by it: general intake decides.
    const usable = confident && !this.complainedAbout(details).includes(routed);
    const department = usable ? routed : this.table.categories.other.department;
    return {
      category,
      categoryScore: guess.score,
      department,
      departmentLabel: this.departmentLabel(department),
      needsTriage: !usable,
      ...(guess.ranking ? { explanation: { ranking: guess.ranking, ...(guess.secondary ? { secondary: guess.secondary } : {}), evidence: guess.evidence ?? [] } } : {}),
    };
  }

  /** Departments the petitioner names as a party or in what happened (by name or a common alias). */
  complainedAbout(details: Details): string[] {
    const text = `${details.parties ?? ''}\n${details.issue ?? ''}`.toLowerCase();
    return Object.entries(this.table.departments)
      .filter(([, d]) => [d.zh, d.en, ...(d.aliases ?? [])].some((name) => text.includes(name.toLowerCase())))
      .map(([id]) => id);
  }

  departmentLabel(department: string): Record<Locale, string> {
    const entry = this.table.departments[department];
    return entry ? { 'zh-CN': entry.zh, en: entry.en } : { 'zh-CN': department, en: department };
  }

  hasDepartment(department: string): boolean {
    return Boolean(this.table.departments[department]);
  }
}
