import type { Locale, Urgency } from '../domain.js';
import { assessAffect, detectEmergency } from './affect.js';

/**
 * Harm under way right now: a cry for help, a person hurt or trapped, a leak or collapse happening.
 * (Self-harm and violence threats are detectEmergency's, which also stops routine intake.)
 */
const ACUTE_ZH = ['救命', '快来人', '快来救', '马上派人', '立刻派人', '赶紧派人', '晕倒', '昏倒', '压在里面', '困在里面', '正在推', '正在拆', '正在打', '正在漏', '漏了', '着火了', '塌了', '人命关天'];
const ACUTE_EN = ['help us now', 'please hurry', 'right now', 'is happening now', 'passed out', 'collapsed', 'trapped', 'on fire', 'send someone now', 'send someone immediately'];

/**
 * Signs that harm is near: a hazard (gas, cracks, blasting, poisoned water), health that cannot
 * wait (an operation, medicine running out), a deadline that will hurt (an exam registration
 * closing, school starting, an eviction date), people stranded or stalked, and the petitioner's own
 * "it cannot wait".
 */
const PRESSING_ZH = [
  '煤气味', '燃气味', '漏气', '泄漏', '裂缝', '裂了', '开裂', '震裂', '倾斜', '要塌', '会塌', '摇摇欲坠', '砸穿', '砸死', '砸伤', '放炮', '炸',
  '电线裸露', '漏电', '冒烟', '消防通道', '有毒', '中毒', '油膜', '饮用水', '断水', '停水', '断电', '没有暖气',
  '手术', '癌', '化疗', '透析', '住院', '救命钱', '药只够', '没钱看病', '高血压', '心脏病',
  '截止', '来不及', '开学', '高考', '中考', '强制搬离', '限期', '被赶出', '扣在', '滞留', '回不了', '跟踪', '威胁',
  '等不起', '不堪设想', '迟早', '出人命', '安全隐患', '万一', '刻不容缓', '马上', '尽快', '十万火急',
];
const PRESSING_EN = [
  'gas leak', 'smell of gas', 'crack', 'collapse', 'leaning', 'blast', 'falling rock', 'exposed wire', 'sparking', 'smoke',
  'fire exit', 'poison', 'contaminat', 'drinking water', 'no water', 'no heating', 'surgery', 'operation', 'cancer',
  'chemotherapy', 'dialysis', 'medication', 'deadline', 'closes on', 'entrance exam', 'school starts', 'evict', 'stranded',
  'stuck', 'following me', 'threat', 'cannot wait', "can't wait", 'before someone', 'someone will', 'urgent', 'immediately', 'as soon as possible',
];

/**
 * Pressing signs needed for `high` (one less with a strong feeling): a long letter names more
 * hazards in passing than a short message that is about one.
 */
const highAt = (text: string) => (text.length < 150 ? 2 : 3);
const STRONG_FEELING = 0.7;

function count(text: string, zh: readonly string[], en: readonly string[]): number {
  const lower = text.toLowerCase();
  return zh.filter((c) => text.includes(c)).length + en.filter((c) => lower.includes(c)).length;
}

/** How soon a petition needs a person: `emergency` (danger to life now), `high`, or `normal`. */
export function estimateUrgency(text: string, locale: Locale): Urgency {
  if (detectEmergency(text, locale)) return 'emergency';
  const acute = count(text, ACUTE_ZH, ACUTE_EN);
  const pressing = count(text, PRESSING_ZH, PRESSING_EN);
  // A cry for help alone can be a figure of speech (救命啊, 这工资再不发要出人命了); with a hazard it is not.
  if (acute >= 2 || (acute >= 1 && pressing >= 2)) return 'emergency';
  const feeling = assessAffect(text, locale).score;
  const needed = highAt(text);
  return pressing >= needed || (pressing >= needed - 1 && feeling >= STRONG_FEELING) ? 'high' : 'normal';
}
