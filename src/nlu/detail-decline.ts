// Declines ("不方便说", "I'd rather not") and don't-knows, told apart from answers that merely
// contain such a word ("不知道具体哪天，大概是去年三月" is an answer).
import type { Locale } from '../domain.js';
import { scanText } from './detail-text.js';

const DECLINE_ZH =
  /不方便|不想说|不想讲|不想留|不想给|不想告诉|不想透露|不想提供|不愿意?(?:说|讲|透露|提供|留|告诉|给)|不能说|不便(?:透露|告知|说)?|保密|算了|不说了|不讲了|跳过|略过|下一个|不知道|不晓得|不清楚|记不清|记不得|记不住|忘了|忘记了|不记得|没必要|不提供|不告诉|不给|无可奉告|先不说|不用了|匿名|不留了|隐私/g;
const DECLINE_EN =
  /prefer not|rather not|\bskip\b|no comment|\b(?:don't|do not|dont|won't|will not|wouldn't)\s+(?:want to\s+|like to\s+)?(?:give|say|share|tell|provide|leave|disclose)|not comfortable|\bi\s+(?:don't|do not|dont)\s+know\b|\bdunno\b|(?:don't|do not|can't|cannot|can not|couldn't)\s+(?:remember|recall)|not sure|no idea|^pass\b|anonymous|none of your business|\bprivate\b|i forgot|\bforget it\b/gi;

// What is left after a decline cue is removed; if only these remain, the message was a decline.
const FILLER_ZH =
  /电话|手机|号码|联系方式|名字|姓名|地址|具体的|具体|时间|日期|这个|那个|我的|我们|我|你们|你|就|还是|先|暂时|吧|了|啊|呢|哦|嗯|呀|啦|的|真的|实在|对不起|抱歉|不好意思|谢谢|也|都|说|留|给|告诉|这些|信息|个人|是|哪天|哪里|什么时候|什么|几号|多少|不|太|这|那|还|想|要|吗|他们|他|她|公司|单位|叫|名称|哪个|哪家|谁|呃|额|唉|哎|当时|有点|一下|这样|现在|已经|早就|真|对方|情况|方式/g;
const FILLER_EN =
  /\b(?:i|i'd|id|i'm|im|my|me|we|the|a|an|to|it|it's|that|this|phone|number|name|address|details?|give|say|share|tell|provide|leave|sorry|thanks|thank|you|please|really|just|ok|okay|well|um|uh|hmm|would|exactly|when|date|time|where|what|who|so|but|honestly|actually|for|now|right|at|the moment|any|info|information|personal|rather|prefer|not|don't|do|want|that's|it|is|was|any more|anymore|of|about|them|their|they|company|happened|contact|number)\b/gi;
// A hedge makes the rest an answer: 大概是去年 / maybe last March.
const HEDGE = /大概|可能|应该是|好像|估计|差不多|左右|大约|\bmaybe\b|\bprobably\b|\baround\b|\broughly\b|\bi think\b|\bsometime\b|\bperhaps\b/i;

export function detectDecline(text: string, locale: Locale): boolean {
  void locale; // both lexicons are checked: people mix languages.
  const s = scanText(text).trim();
  if (!s) return false;
  const zh = s.match(DECLINE_ZH);
  const en = s.match(DECLINE_EN);
  if (!zh && !en) return false;
  if (HEDGE.test(s)) return false;
  const rest = s
    .replace(DECLINE_ZH, ' ')
    .replace(DECLINE_EN, ' ')
    .replace(FILLER_ZH, ' ')
    .replace(FILLER_EN, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ');
  const han = rest.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const words = rest.match(/[A-Za-z0-9]+/g)?.length ?? 0;
  return han + words * 2 <= 4;
}

const NONE_ZH = /^(?:没有|没|无|还没有|还没|暂时没有|都没有|没找过|没有找过|没去过|没试过|没有过|一个也没有|什么都没做|不是|没有人)[啊呢吧哦了。.!！\s]*$/;
const NONE_EN = /^(?:no|none|nope|nothing|not yet|no one|nobody|not really|haven't|i haven't|no i haven't|nothing yet|none yet|n\/a)[.!\s]*$/i;

/** A plain "nothing / no" answer (没有 / none): an answer, not a decline. */
export function isNoneAnswer(text: string): boolean {
  const s = scanText(text).trim();
  return NONE_ZH.test(s) || NONE_EN.test(s);
}
