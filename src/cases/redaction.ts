import type { Details } from '../domain.js';
import { hideNames } from '../nlu/entities.js';
import { maskPersonalData } from '../nlu/detail-pii.js';

/**
 * What an officer sees before they choose to see personal data (Slack cards and threads, the
 * console until a recorded reveal): names, phone and ID numbers and e-mail addresses masked.
 */
export function redact(text: string, details: Details): string {
  return maskPersonalData(hideNames(text, [details.contactName]));
}
