// Emergency cues: self-harm, violence, an imminent mass gathering, or a life in danger right now. Recall first, but hyperbole
// (累死了 / 笑死我了 / 气死我了 / "this traffic is killing me") and bargaining (砍价 / 杀价) never fire.
import type { EmergencyKind } from '../domain.js';

const PERSON = '(?:他|她|你|他们|她们|你们|那个|这个|全家|人|那家伙|狗官|老板|包工头)';

const PATTERNS: [EmergencyKind, RegExp[]][] = [
  [
    'self_harm',
    [
      /不想活了|不想活|活不下去|活着没意思|活着还有什么意思|活着.{0,4}没意思|没法活了|不活了|不如死了|死了算了|去死算了|我(?:就|要|想|还不如|干脆|只能)?去死/,
      /想死(?!你|您|他|她|我了|了都)|寻死|自杀|轻生|寻短见|一死了之|以死明志|以死相逼|死给(?:你们|他们|你|他)看/,
      /跳楼(?!价|大甩卖|甩卖|大促)|跳河|跳江|跳湖|跳海|跳桥|卧轨|喝农药|喝敌敌畏|喝百草枯|吃安眠药|割腕|上吊|自残/,
      /了结自己|了断自己|结束自己的生命|结束生命|(?:会|要|就|怕我|逼我)想不开/,
      // Poison bought or ready, a note written: said without the word "death".
      /(?:农药|敌敌畏|百草枯|安眠药|老鼠药)(?!残留|超标|中毒|化肥)[^，。！？,.!?;；]{0,24}(?:喝|吞)(?:下去|下|了|掉)|(?:买|准备|备|攒)(?:好|了|够)?了?.{0,4}(?:农药|敌敌畏|百草枯|安眠药|老鼠药)|遗书|遗言|后事(?:都)?(?:交代|安排)好|死(?:在|给)(?:他们|你们|政府|镇政府|厂|公司)(?:门口|面前|看)/,
      /(?:站在|爬上|坐在)(?:了)?(?:天台|楼顶|顶楼|窗台|桥上|江边|河边|楼上)|(?:要|想|准备)(?:从.{0,6})?跳下去|吞了.{0,6}(?:药|安眠药|刀片)|吃了(?:一整瓶|一瓶|好多|很多|一把).{0,4}药|服毒|(?:拉着|带着|和|跟).{0,6}一起死/,
      // Thoughts of it told quietly, as a wish or a question, without the word "death": 要是跳下去了…,
      // 站在阳台上就想…, 一了百了, 死了就解脱了, 不想再拖累家里.
      /(?:要是|如果|干脆|真想|恨不得|就想|想着|想过)[^，。！？,.!?]{0,6}(?:跳下去|跳下来|从楼上跳|一了百了|死了算|死掉)|(?:我|自己)[^，。！？,.!?]{0,4}跳下去(?:了)?(?:，|,)?[^。！？!?]{0,12}(?:是不是|就不用|就解脱|就好了|一了百了)|(?:站在|站到|坐在|走到)(?:了)?(?:阳台|天台|楼顶|窗台|窗边|江边|河边|桥上)[^。！？!?]{0,8}(?:就想|想着|往下看)|一了百了|死了(?:就|也就|倒)?(?:解脱|清净|干净|省心|好了|不用)|不想再拖累|想过(?:去死|自杀|轻生|寻死|跳楼|跳河|死)|活着(?:太累|好累|真累|受罪|没盼头)/,
      // Someone else threatening it (a worker on a crane over unpaid wages): 再不给工钱他就跳下去.
      /再不[^，。！？,.!?]{0,14}(?:就|便)(?:跳下去|跳楼|跳河|喝药|喝农药|去死|死给)|爬(?:到|上)了?[^，。！？,.!?]{0,12}(?:塔吊|楼顶|天台|顶上|高架|桥上)/,
      /\b(?:think(?:ing)? about (?:jumping|ending (?:it|things|my life)|killing myself|not being here)|(?:everyone|they|my family) would be better off without me|wish i (?:was|were) (?:dead|gone|never born)|wish i could (?:just )?disappear|can'?t go on (?:anymore|like this)|no point (?:in )?(?:going on|living))\b/i,
      /\b(?:(?:wrote|written|left) (?:a|my) (?:suicide )?note|(?:bought|saved up|collected) (?:the |some |enough )?(?:pills|poison|pesticide|sleeping pills)|say goodbye to (?:everyone|my family) for good)\b/i,
      /\b(?:about to jump|going to jump|jump(?:ing)? (?:off|from)|overdosed|took (?:all|a lot|a bunch|a whole bottle) of (?:my |the |these )?(?:pills|tablets|medicine))\b/i,
      /\b(?:kill(?:ing)? myself|end(?:ing)? my (?:own )?life|end it all|take my (?:own )?life|suicid(?:e|al)|(?:don't|do not|dont|no longer) want to (?:live|be alive)|hurt(?:ing)? myself|harm(?:ing)? myself|cut(?:ting)? myself|no reason to live|better off dead|jump off (?:a|the) (?:bridge|building|roof)|overdose)\b/i,
    ],
  ],
  [
    'violence',
    [
      new RegExp(`(?:杀了|杀死|弄死|整死|搞死|打死|砍死|捅死|掐死|烧死|砍了|捅了)${PERSON}`),
      // A threat against the petitioner, said or shouted (不是 "打死我也不去", which is a way of saying "never").
      /(?:说|扬言|威胁|放话|叫嚣|喊着?|骂着?)(?:着)?(?:要|说要)?(?:打死|弄死|杀了|杀死|砍死|捅死|整死|搞死|砍|捅)(?:我|我们|俺|我家|我全家|我老婆|我老公|我孩子|我儿子|我女儿)|(?:要|想)(?:打死|弄死|杀了|杀死|砍死|捅死)(?:我|我们|俺|我全家)(?![^，。！？,.!?]{0,3}也)/,
      /扬言要(?:弄死|杀|砍|打|捅|烧)|(?:拿着?|持)(?:刀|棍|铁棍|砍刀|斧头).{0,6}追|(?:正在|在)追(?:着)?(?:我|砍|打)|有人(?:闯|冲)进(?:来|我家|家里)|破门|砸门|撬门|掐(?:着)?.{0,4}脖子|(?:烧|砸|炸)了?(?:他们|他|她)?的?(?:厂|厂子|公司|店|家)|把.{0,8}(?:厂|厂子|公司|店|房子|家)(?:给)?(?:烧|砸|炸)了/,
      /要杀(?!价|毒|虫|菌)|杀人|砍人|捅人|拿刀|拿着刀|持刀|动刀|带刀|带着刀|拿着菜刀|威胁要杀/,
      /(?:按|摁|压)在地上|打人|正在打我|在打我(?!电话|手机)|打我(?!们?的?(?:电话|手机|号码|微信)|一下电话)|被打(?:了|伤|成|得|死|残|骨折|住院)|殴打|家暴|家庭暴力/,
      /\b(?:has been|keeps|kept|is|was) (?:hitting|beating|hurting|choking) (?:her|him|me|them|us|my \w+)\b|\b(?:going to|gonna|will) finish (?:it|her|him|them)\b|\blocked (?:herself|himself|themselves|myself|ourselves) in\b/i,
      /报复社会|同归于尽|炸药|炸弹|炸了(?:他|你|它|这|那|政府|公司|大楼|楼|厂)|炸掉|要炸(?!鸡|酱|串|薯|油条|了|裂)|去炸(?!鸡|酱|串|薯)|放火|纵火|烧了(?:他|她|你|他们|房子|公司|厂)|泼汽油|泼硫酸|(?:有|拿|持|带|开)着?枪|绑架|强奸|性侵/,
      /\b(?:(?:going to|gonna|will|i'll|i will|want to|about to|threatened to|threatening to|threatens to) (?:kill|murder|stab|shoot|hurt|beat up|attack) (?:him|her|them|you|me|someone|somebody|everyone|people|the)|kill (?:him|her|them)\b)/i,
      /\b(?:has|have|had|with|holding|got|carrying|pulled(?: out)?) a (?:knife|gun|weapon|machete|axe)\b/i,
      /\b(?:is |are |keeps )?(?:attacking|beating|hitting|strangling|choking|stabbing|kicking) me\b|\bdomestic (?:violence|abuse)\b|\babusing me\b/i,
      /\b(?:he|she|they|husband|wife|boyfriend|girlfriend|boss|landlord|father|dad|mother|son|man|guy|someone|somebody|guard|guards|officer|neighbou?r)\s+(?:\w+\s+)?(?:attacked|beat|hit|punched|kicked|stabbed|choked|slapped)\s+me\b(?! to\b| up\b)/i,
      /\b(?:breaking (?:down|into)|broke into|is breaking in|choking (?:my|her|him|the)|pay with (?:their )?blood|threaten(?:ed|s|ing)? to (?:kill|stab|shoot|burn))\b/i,
      /\b(?:set fire to|burn down|blow up|bomb) (?:the|their|his|her|this|it|that)\b|\bshoot (?:him|her|them|you|people|everyone)\b/i,
    ],
  ],
  [
    'mass_gathering',
    [
      /组织.{0,12}(?:人|群众|工人|村民|业主|农民工|员工|大家).{0,12}(?:堵|围|包围|上访|闹|静坐|示威|游行|拉横幅|冲)/,
      /集体上访|集体去(?:堵|闹|围|上访|政府)|聚众|聚集|游行|示威|静坐|拉横幅|拉横额|打横幅|堵路|堵门|堵政府|堵大门|堵高速|堵(?:埋|住|了)?(?:条|那条)?(?:大)?马路|围堵|围攻|冲击(?:政府|派出所|机关|大门)|上街(?:游行|示威|抗议)|进京上访|去北京上访|一起去(?:堵|闹|围|上访)/,
      /(?:几十|上百|几百|上千|\d{2,}|[一二三四五六七八九十两]+[百千])(?:多|几|余)?(?:个|户|名)?(?:人|工人|村民|业主|居民).{0,24}(?:去|到)(?:市|区|县|镇)?(?:政府|信访局|门口|大门)/,
      /(?:几十|上百|几百|上千|\d{2,}|[一二三四五六七八九十两]+[百千])(?:多)?(?:个|户|名)?(?:人|工人|村民|业主|居民|农民工|员工)?.{0,10}(?:去|到).{0,10}(?:堵|闹|围|包围|静坐|上访|讨说法|讨个说法|维权|拉横幅|示威|抗议)/,
      /\b(?:(?:hundreds|dozens|thousands|all|many|\d+) of (?:us|workers|people|villagers|residents|tenants) (?:will|are going to|plan to|are planning to|gonna|are) (?:block|march|protest|storm|occupy|surround|gather)|march on|block(?:ing)? the (?:road|gate|entrance|highway|street|office|building)|stage a protest|bring (?:a thousand|thousands of|hundreds of|dozens of|\d+) (?:people|workers|villagers) to (?:surround|block|storm|occupy)|organi[sz](?:e|ing) (?:a )?(?:mass )?(?:protest|march|demonstration|sit-in|rally|blockade)|mass protest|sit-in|storm the)\b/i,
    ],
  ],
  [
    'danger',
    [
      /突发(?:脑溢血|脑出血|心梗|心肌梗|心脏病|中风)|(?:桥|桥面|楼|房子|路面|墙)[^，。！？,.!?]{0,6}(?:塌下去|塌了|坍塌|垮了)|着火|失火|起火|火灾|大火|烧起来了|被困|困在.{0,8}(?:出不来|出不去)|出不去了|煤气泄漏|燃气泄漏|天然气泄漏|触电|溺水|落水|掉(?:进|到|下)(?:了)?(?:河|水|井|湖|江|海)|(?:有人|小孩|孩子|老人).{0,6}掉下去了|电梯.{0,6}(?:掉下去|坠落|困人|被困)|没有呼吸|没呼吸了|昏迷不醒|晕倒了|大出血|流了很多血/,
      /\b(?:send (?:the )?police|(?:a|the) (?:\w+ )?fire (?:at|in|on|near)|(?:has|have) collapsed|is collapsing)\b/i,
      /\b(?:on fire|is burning|trapped|can't get out|cannot get out|gas leak|drowning|not breathing|unconscious|(?<!nearly |almost )collapsed|bleeding (?:badly|heavily|a lot)|fell into the (?:river|lake|water|well)|electrocuted)\b(?![^.!?]*\b(?:stable|fine|ok|okay|better|recovered) now\b)/i,
      // Someone who lives alone and does not answer: they may be lying inside (a gas smell alone is urgent, not this).
      /(?:独居|一个人住|一个人在家|孤寡老人).{0,30}(?:敲门没人(?:应|开)|不开门|没人应|没反应|联系不上|不接电话)|\b(?:lives? alone|on (?:his|her) own)\b.{0,60}\b(?:(?:isn'?t|is not|not) (?:answering|responding|opening)|no answer|won'?t answer|doesn'?t answer)\b/i,
    ],
  ],
];

export function detectEmergency(text: string): { kind: EmergencyKind; cue: string } | null {
  for (const [kind, patterns] of PATTERNS) {
    for (const re of patterns) {
      const m = re.exec(text);
      if (m) return { kind, cue: m[0] };
    }
  }
  return null;
}
