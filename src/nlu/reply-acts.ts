// What a message does besides telling details: greet or fill ("在吗", "我想反映个事", "hello?"),
// ask something back, complain about the office itself, or call the petition off. Rules over
// sentences, both languages at once (people mix them). Takes the normalised text.
import { scanText, sentences, trimPunct } from './detail-text.js';

/** What a question back is about; 'other' is one the bot cannot answer itself. */
export type QuestionTopic =
  | 'duration'
  | 'department'
  | 'confidential'
  | 'next_steps'
  | 'photos'
  | 'human'
  | 'cost'
  | 'identity'
  | 'other';

export interface ReplyActs {
  /** Nothing but greetings and opening phrases: never a detail, never part of the story. */
  filler: boolean;
  /** "就这些" / "that's all": nothing more to tell (not a goodbye). */
  nothingMore: boolean;
  /** The topics of the questions the message asks, in order, without repeats. */
  questions: QuestionTopic[];
  /** The question sentences as written (normalised), for officers when the bot cannot answer one. */
  questionText: string | null;
  /** The office itself is blamed ("你们到底管不管", "what's the point"). */
  officeComplaint: boolean;
  /** The petitioner wants to stop registering ("不登记了", "never mind"). */
  cancel: boolean;
  /** What is left to be story or an answer: the sentences that are not filler, questions or complaints about the office (normalised). */
  content: string | null;
  /** The same sentences in the petitioner's own wording (traditional characters, full-width digits) when they can be told apart. */
  written: string | null;
  /**
   * What of the message is story, as written: the content, and questions that are part of the
   * grievance rather than about the office ("失业金怎么一直领不到？").
   */
  story: string | null;
}

// Opening phrases and greetings; what is left once they are gone decides whether anything was said.
const FILLER_ZH = new RegExp(
  [
    '你们好|您好|你好|大家好|哈喽|哈啰|嗨|喂+|在吗|在么|在嘛|在不在|有人吗|有人没|有人在吗|有人在不|有没有人|有冇人|有人在么|人呢|喺唔喺度|喺度吗|喺唔喺',
    '领导们?(?:你|您)?好|领导|同志|工作人员|客服|打扰(?:一下|了)?|麻烦(?:一下|你|您|了)?|请问(?:一下)?|劳驾',
    '我想|我要|我来|想|要|问问|问一下|问个事|请教(?:一下)?|咨询(?:一下)?|反映|反应|投诉|举报|说说|说一下|讲一下|讲讲|聊聊',
    '一下|一个|一件|个|件|点|些|事情?|问题|情况|那个|这个|就是|是这样的?|这样',
    '嗯+|哦+|噢+|啊+|呀|吧|呢|了|的|吗|我|是|有|跟你们|向你们|给你们|和你们|你们|下|能|可以|帮忙|帮帮忙|求助|谢谢|早上好|晚上好|下午好|再见|拜拜|回见',
  ].join('|'),
  'g',
);
const FILLER_EN =
  /\b(?:hi|hello|hey|hiya|bye|goodbye|bye-bye|see you|good (?:morning|afternoon|evening|day)|anyone|anybody|someone|there|here|around|is|are|you|excuse me|sorry to bother(?: you)?|sorry|i|want|would like|'d like|need|to|report|complain|complaint|ask|raise|make|file|lodge|tell|about|something|a|an|the|problem|issue|question|have|got|can|could|help|me|please|sir|madam|ma'am|ok|okay|um+|uh+|hmm+|so|well|yes|just|quick|thing|this|that|do|there's|i'm|i've|we|us)\b/gi;

const QUESTION_END = /[?？]\s*$|(?:吗|嘛|么|呢|没有|不|否)\s*[?？。.!！~]*$/;
const QUESTION_START_EN =
  /^(?:how|what|when|where|who|whom|which|why|can|could|will|would|is|are|am|do|does|did|should|shall|may|might|have|has|isn't|aren't|won't|can't|you are)\b/i;
const QUESTION_ZH = /多久|多长时间|多少天|几天|什么时候|啥时候|怎么|咋|能不能|可不可以|能否|是否|是不是|有没有|会不会|要不要|行不行|管不管|哪个|哪里|哪儿|谁|为什么|为啥|凭什么|难道|不就/;

const TOPICS: [QuestionTopic, RegExp][] = [
  ['confidential', /保密|匿名|隐私|泄露|打击报复|报复|(?:会不会|会|能不能).{0,8}(?:知道|发现)|不想让.{0,8}知道|被.{0,4}知道|anonymous|anonymity|confidential|privacy|private|find out|retaliat|keep my name|(?:will|would) (?:they|he|she|my \w+) (?:know|find out)|know (?:it was|who)/i],
  ['photos', /照片|图片|相片|视频|录音|截图|拍了|拍的|影(?:咗|了)?相|(?:张|啲|嗰啲|呢啲)相|send(?:俾|畀|给)|(?:发|传)(?:俾|畀)|发(?:给|过来|过去)?.{0,4}(?:证据|材料)|传.{0,4}(?:证据|材料|照片)|photos?|pictures?|images?|videos?|screenshots?|recordings?|evidence|attach/i],
  ['human', /人工|真人|活人|跟人说|找个人|工作人员.{0,4}(?:说|聊|谈|联系)|real person|human|talk to (?:someone|somebody|a person|an officer)|speak to (?:someone|somebody|a person|an officer)|an officer/i],
  ['department', /是这里.{0,30}吗|这里(?:能|可以)?(?:管|受理|反映)|归你们管|你们管(?:这个|这事)|something you (?:deal with|handle)|do you (?:deal with|handle)|(?:is|are) (?:this|you) the (?:right|correct) (?:place|office)|right place/i],
  ['cost', /收费|要钱吗|花钱|费用|多少钱.{0,4}(?:登记|反映)|(?:is it|is this) free|cost|fee|charge/i],
  ['duration', /多久|多长时间|多少天|几天|什么时候.{0,6}(?:处理|解决|办|结果|回复|答复|给|能|会|有)|啥时候|多快|how long|how soon|how many days|when (?:will|can|do|would)|by when/i],
  ['department', /哪个部门|什么部门|哪个单位|哪个机关|哪一级|谁(?:来)?(?:管|处理|负责)|归谁管|你们是(?:哪|什么|谁)|你们(?:能|能不能)?管(?:得了|不了)?(?:吗)?|管得了|能管吗|是政府|是公安|which (?:department|office|bureau)|who (?:handles|deals|is responsible|will handle)|are you (?:the )?(?:police|government)|(?:you are|you're) (?:the )?(?:police|government)|police or government|what (?:office|department) (?:is this|are you)/i],
  ['identity', /机器人|你是谁|你是人|真的人吗|are you (?:a )?(?:robot|bot|human|real)|who are you/i],
  ['next_steps', /然后呢|接下来|下一步|怎么处理|怎么办|咋办|流程|程序|手续|what happens next|what now|what (?:can|should|do) i do|what i (?:can|should) do|next step|what will (?:you|happen)|how does (?:this|it) work/i],
];

// Blame on the office or the government itself, not on the other side of the petition.
const OFFICE_COMPLAINT =
  /管不管|有没有人管|到底.{0,4}管|干什么吃的|干啥吃的|吃干饭|白拿工资|有什么用|有啥用|有个屁用|说了也白说|都是一伙|一伙的|官官相护|当官的|不作为|踢皮球|推来推去|推三阻四|敷衍|糊弄|走过场|还要问我|还用问|自己去查|自己查去|不就知道了|what'?s the point|waste of time|nobody (?:ever )?(?:does|did|do) anything|does anyone (?:even )?care|you people|never do anything|useless|doesn'?t help|don'?t care|nobody cares|no one cares/i;

// Calling the petition off: said as the message's point ("算了，不说了", "never mind"), not a word
// inside an account ("the bus route was cancelled", 取消了公交线路).
const CANCEL_ZH =
  /^(?:那|那就|要不|还是)?(?:算了吧?[，,。\s]*)?(?:我)?(?:先)?(?:不登记了|不用登记了?|不想登记了|不反映了|不想反映了|不投诉了|不想投诉了|不举报了|不告了|不说了|不讲了|撤销(?:登记|投诉|反映)?|撤回(?:登记|投诉|反映)?|取消(?:登记|投诉|反映)?|没事了|不弄了|不搞了)(?:吧|了|啊|谢谢)*$/;
const CANCEL_EN =
  /^(?:(?:ok|okay|oh|well|actually|sorry),?\s+)?(?:never ?mind|forget (?:it|about it)|cancel(?: (?:it|this|that|my (?:petition|complaint|report)))?|i (?:changed|have changed|'ve changed) my mind|(?:i )?(?:don'?t|do not) want to (?:file|report|complain|continue|go on)(?: (?:this|it))?(?: any ?more)?|stop (?:this|it)|drop it)(?:,?\s*(?:thanks|thank you))?$/i;

// Talk about the talk, not the matter: "my English is not perfect", 我普通话不太好.
const META = /^(?:sorry,?\s*)?my (?:english|chinese|mandarin) (?:is )?(?:ok but )?(?:not (?:very )?(?:good|perfect|great)|poor|bad|is not good)|^(?:不好意思，?)?我的?(?:中文|普通话|汉语)(?:说得)?不(?:太)?好/i;

// "That's all": nothing more to tell, which adds nothing to the story either.
const NOTHING_MORE =
  /^(?:就这些了?|就这样了?|就这么多了?|没了|没有了|没别的了?|没有别的了?|没什么了|没啥了|暂时没有了?|that'?s (?:all|it)|nothing (?:else|more)|no more|no,? that'?s all|that is all)[\s,，。.!！~]*$/i;

function isFiller(sentence: string): boolean {
  if (NOTHING_MORE.test(sentence.trim()) || META.test(sentence.trim())) return true;
  const rest = sentence
    .replace(FILLER_ZH, '')
    .replace(FILLER_EN, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
  return rest.length <= 1 && !/\d{2,}/.test(rest);
}

/** Asking for a person is a request, not story, with or without a question mark (能不能转人工跟我说). */
const WANTS_PERSON = /转人工|人工客服|找(?:个)?真人|真人(?:跟|和)我|跟真人|talk to a (?:real )?(?:person|human)|speak to a (?:real )?(?:person|human)/i;

function isQuestion(sentence: string): boolean {
  const s = sentence.trim();
  if (WANTS_PERSON.test(s)) return true;
  if (/[?？]/.test(s)) return true;
  // Without a question mark only a short one ("what i can do"): "When I said no he threw…" tells.
  if (QUESTION_START_EN.test(s) && !/[\u4e00-\u9fff]/.test(s) && !/\.$/.test(s) && s.split(/\s+/).length <= 8) return true;
  if (/吗\s*[。.!！~]*$/.test(s)) return true;
  // "你们能管吗" / "要等多久" — but not a statement that merely contains 谁 or 怎么 (我不知道该怎么办了).
  return QUESTION_END.test(s) && QUESTION_ZH.test(s) && !/不知道|不晓得|不清楚|没办法|怎么办了/.test(s);
}

function topicOf(sentence: string): QuestionTopic {
  for (const [topic, re] of TOPICS) if (re.test(sentence)) return topic;
  return 'other';
}

interface Piece {
  text: string;
  start: number;
  end: number;
}

/** Splits at sentence ends, and at the spaces people use for commas when they type or dictate fast. */
function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  for (const s of sentences(text)) {
    // A question is one piece however it is spaced ("是这里 report pollution 吗").
    if (!/[\u4e00-\u9fff]/.test(s.text) || /[?？吗嘛呢]\s*$/.test(s.text)) {
      out.push(s);
      continue;
    }
    let at = 0;
    for (const m of s.text.matchAll(/\s+(?=[\u4e00-\u9fff])/g)) {
      const part = s.text.slice(at, m.index);
      if (trimPunct(part)) out.push({ text: part, start: s.start + at, end: s.start + m.index });
      at = m.index + m[0].length;
    }
    const last = s.text.slice(at);
    if (trimPunct(last)) out.push({ text: last, start: s.start + at, end: s.end });
  }
  return out;
}

/**
 * @param original the message as written: the content keeps the petitioner's own wording
 *   (traditional characters, full-width digits) when it splits into the same pieces.
 */
export function replyActs(normalized: string, original: string = normalized): ReplyActs {
  const s = scanText(normalized);
  const questions: QuestionTopic[] = [];
  const questionText: string[] = [];
  const kept: number[] = [];
  let told: number[] = [];
  let fillerOnly = true;
  let officeComplaint = false;
  const list = pieces(s);
  let removed = false;
  for (const [i, piece] of list.entries()) {
    // "在吗" is filler; "你们能管吗" is short too, but asks something the bot can answer.
    if (isFiller(piece.text) && !(isQuestion(piece.text) && topicOf(piece.text) !== 'other')) {
      told.push(i);
      continue;
    }
    fillerOnly = false;
    const blame = OFFICE_COMPLAINT.test(piece.text);
    if (isQuestion(piece.text)) {
      const topic = blame ? null : topicOf(piece.text);
      if (topic && !questions.includes(topic)) questions.push(topic);
      if (topic) questionText.push(piece.text);
      if (topic === 'other') told.push(i);
      else removed = true;
      officeComplaint ||= blame;
      continue;
    }
    if (blame) {
      officeComplaint = true;
      removed = true;
      continue;
    }
    kept.push(i);
    told.push(i);
  }
  // Greetings before the account are no part of it ("hello 你好, 我想投诉…", "领导您好！…"): the
  // filler up to the last stop before the first piece of substance goes; inside the account, or run
  // into it without a stop ("想 report 一下地铁站的问题"), it stays. A greeting is words: marks
  // alone ("<!channel> …", quoted as written) are the petitioner's text and stay.
  const first = list.findIndex((_, i) => kept.includes(i) || (told.includes(i) && !isFiller(list[i]?.text ?? '')));
  let lead = -1;
  const STOP = /[，,。.!！?？~；;:：\n]/;
  for (let i = 0; i < first; i++) if (/\p{L}/u.test(list[i]?.text ?? '') && STOP.test((list[i]?.text ?? '').slice(-1)) || STOP.test(s.slice(list[i]?.end ?? 0, list[i + 1]?.start ?? 0))) lead = i;
  if (lead >= 0) {
    told = told.filter((i) => i > lead);
    removed = true;
  }
  const asWritten = pieces(original);
  const content = kept.length ? rejoin(s, list, kept) || null : null;
  const lined = asWritten.length === list.length;
  // The story is the message as written, less the greetings it opens with and what was a question
  // to the office or blame on it; a message of nothing but greetings is no story.
  const story = fillerOnly ? null : !removed ? original.trim() : (lined ? rejoin(original, asWritten, told) : rejoin(s, list, told)) || null;
  return {
    filler: fillerOnly,
    nothingMore: NOTHING_MORE.test(trimPunct(s)),
    questions,
    questionText: questionText.length ? questionText.join(' ') : null,
    officeComplaint,
    cancel: list.some((p) => CANCEL_ZH.test(trimPunct(p.text)) || CANCEL_EN.test(trimPunct(p.text))),
    content,
    written: content && lined ? rejoin(original, asWritten, kept) || content : content,
    story,
  };
}

/** The kept pieces as written: runs of neighbouring pieces keep what stood between them. */
function rejoin(text: string, list: Piece[], kept: number[]): string {
  let out = '';
  let prev = -2;
  for (const i of kept) {
    const p = list[i] as Piece;
    if (i === prev + 1) out += text.slice((list[prev] as Piece).end, p.end);
    else out = joinPieces(out, text.slice(p.start, p.end));
    prev = i;
  }
  return trimPunct(out) ? out.trim() : '';
}

/** Two pieces that were not neighbours, joined in the message's own style. */
function joinPieces(text: string, p: string): string {
  if (!text) return p;
  const sep = /[。！？.!?；;，,]$/.test(text) ? (/[\u4e00-\u9fff]/.test(text) ? '' : ' ') : /[\u4e00-\u9fff]/.test(p) ? '，' : '. ';
  return text + sep + p;
}
