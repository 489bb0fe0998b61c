import { describe, expect, it } from 'vitest';
import { extractEntities, isValidIdNumber, maskPersonalData } from '../../src/nlu/entities.js';

const valuesOf = (text: string, type: string): string[] =>
  extractEntities(text)
    .filter((e) => e.type === type)
    .map((e) => e.value);

describe('phone numbers', () => {
  it.each([
    ['我的电话是13812345678', '13812345678'],
    ['电话138-1234-5678，白天打', '13812345678'],
    ['手机 138 1234 5678 随时打', '13812345678'],
    ['+86 139 0000 1111', '13900001111'],
    ['号码+86-13900001111谢谢', '13900001111'],
    ['008613700001111', '13700001111'],
    ['手机１３８００１３８０００', '13800138000'],
    ['１３８－１２３４－５６７８', '13812345678'],
    ['call me at 15912345678 please', '15912345678'],
    ['座机010-12345678', '010-12345678'],
    ['办公室 0755-1234567', '0755-1234567'],
    ['（0571）87654321', '0571-87654321'],
  ])('%s → %s', (text, phone) => {
    expect(valuesOf(text, 'phone')).toEqual([phone]);
  });

  it.each([
    ['身份证440301198506151238'],
    ['订单号1381234567890123'],
    ['银行卡6222021381234567890'],
    ['打了12345热线'],
    ['押金13800元'],
    ['身份证号440301198506151239（可能写错了）'],
    ['2024-03-05发生的'],
    ['12345678901'],
  ])('no phone in %s', (text) => {
    expect(valuesOf(text, 'phone')).toEqual([]);
  });

  it('gives offsets into the original (full-width) text', () => {
    const text = '手机１３８００１３８０００，谢谢';
    const phone = extractEntities(text).find((e) => e.type === 'phone');
    expect(phone).toBeDefined();
    expect(text.slice(phone?.start, phone?.end)).toBe('１３８００１３８０００');
  });
});

describe('ID numbers', () => {
  it.each([
    ['身份证号11010519491231002X', '11010519491231002X'],
    ['身份证号11010519491231002x', '11010519491231002X'],
    ['ID 440301198506151238 thanks', '440301198506151238'],
    ['330106199003071236', '330106199003071236'],
    ['身份证：１３０１０２１９８８０１０１００１９', '130102198801010019'],
    ['我的身份证510107197511203451，电话13812345678', '510107197511203451'],
  ])('%s → %s', (text, id) => {
    expect(valuesOf(text, 'idNumber')).toEqual([id]);
  });

  it.each([['440301198506151239'], ['330106199003071235'], ['11010519491231002Y'], ['4403011985061512381']])(
    'rejects %s',
    (text) => {
      expect(valuesOf(text, 'idNumber')).toEqual([]);
    },
  );

  it('checks the ISO 7064 MOD 11-2 digit', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it('does not also report a phone inside an ID number starting with 13', () => {
    expect(valuesOf('130102198801010019', 'phone')).toEqual([]);
  });
});

describe('e-mail addresses', () => {
  it.each([
    ['my email is john.doe@example.com.', 'john.doe@example.com'],
    ['联系邮箱：wang_li@qq.com。', 'wang_li@qq.com'],
    ['mail: a+b@mail.gov.cn', 'a+b@mail.gov.cn'],
  ])('%s → %s', (text, email) => {
    expect(valuesOf(text, 'email')).toEqual([email]);
  });
});

describe('money', () => {
  it.each([
    ['拖欠两万三千元工资', '两万三千元'],
    ['押金8,000 yuan not returned', '8,000 yuan'],
    ['收了¥500', '¥500'],
    ['一共3万元', '3万元'],
    ['押金5000块没退', '5000块'],
    ['少给了五千多块钱', '五千多块钱'],
    ['欠了十几万元', '十几万元'],
    ['赔偿人民币3000元', '人民币3000元'],
    ['they owe me $200', '$200'],
    ['about 500 dollars', '500 dollars'],
    ['RMB 8000 deposit', 'RMB 8000'],
    ['拖欠工资贰万元', '贰万元'],
    ['押金没退，8,000 yuan', '8,000 yuan'],
    ['欠款1,500元', '1,500元'],
    ['首付2.5万元', '2.5万元'],
  ])('%s → %s', (text, money) => {
    expect(valuesOf(text, 'money')).toEqual([money]);
  });

  it.each([['这一块地被占了'], ['我们一块儿去的'], ['我们三个人'], ['电话13812345678']])('no money in %s', (text) => {
    expect(valuesOf(text, 'money')).toEqual([]);
  });
});

describe('times', () => {
  it.each([
    ['2024年3月5日发生的', '2024年3月5日'],
    ['3月5号那天', '3月5号那天'],
    ['3月5号我去了物业', '3月5号'],
    ['上个月开始停水', '上个月'],
    ['三个月前搬进来', '三个月前'],
    ['去年年底开始拖欠', '去年年底'],
    ['前天晚上', '前天晚上'],
    ['上周五去的', '上周五'],
    ['2024年3月5日下午3点', '2024年3月5日下午3点'],
    ['半年前', '半年前'],
    ['已经好几个月了', '好几个月了'],
    ['二〇二三年十月', '二〇二三年十月'],
    ['it happened last Friday', 'last Friday'],
    ['two weeks ago they cut the water', 'two weeks ago'],
    ['since March nobody paid', 'since March'],
    ['on 2024-03-05 at noon', '2024-03-05'],
    ['yesterday the boss left', 'yesterday'],
    ['in May 2023', 'May 2023'],
    ['on March 5th, 2024', 'March 5th, 2024'],
    ['噪音到凌晨两点', '凌晨两点'],
    ['准备下周一起去', '下周'],
  ])('%s → %s', (text, time) => {
    expect(valuesOf(text, 'time')).toEqual([time]);
  });

  it.each([['May I ask something?'], ['我们三个人'], ['孩子上初中'], ['我有一点点担心'], ['周围的邻居']])(
    'no time in %s',
    (text) => {
      expect(valuesOf(text, 'time')).toEqual([]);
    },
  );
});

describe('locations', () => {
  it.each([
    ['我住在杭州市西湖区文三路128号', '杭州市西湖区文三路128号'],
    ['幸福小区3栋漏水', '幸福小区3栋'],
    ['我家在朝阳区幸福小区3号楼2单元', '朝阳区幸福小区3号楼2单元'],
    ['老家河南省周口市', '河南省周口市'],
    ['就在解放路口', '解放路'],
    ['I live on Oak Street', 'Oak Street'],
    ['we live in Springfield', 'Springfield'],
    ['at 12 Baker Road', '12 Baker Road'],
  ])('%s → %s', (text, place) => {
    expect(valuesOf(text, 'location')).toEqual([place]);
  });

  it.each([['我每天走路上班'], ['真是走投无路了'], ['城市管理太差'], ['在超市买东西'], ['in March'], ['I went to the market']])(
    'no location in %s',
    (text) => {
      expect(valuesOf(text, 'location')).toEqual([]);
    },
  );

  it('keeps the district that opens an organisation name as a location too', () => {
    const text = '朝阳区人民医院';
    expect(valuesOf(text, 'organization')).toEqual(['朝阳区人民医院']);
    expect(valuesOf(text, 'location')).toEqual(['朝阳区']);
  });

  it('offsets slice back to the value', () => {
    const text = '我住在杭州市西湖区文三路128号';
    const loc = extractEntities(text).find((e) => e.type === 'location');
    expect(loc && text.slice(loc.start, loc.end)).toBe(loc?.value);
  });
});

describe('organisations', () => {
  it.each([
    ['华星科技有限公司拖欠工资', '华星科技有限公司'],
    ['隔壁的化工厂天天排污', '化工厂'],
    ['找过幸福村委会', '幸福村委会'],
    ['去城南派出所报了案', '城南派出所'],
    ['万科物业不管', '万科物业'],
    ['杭州市第一人民医院', '杭州市第一人民医院'],
    ['楼下的烧烤店太吵', '烧烤店'],
    ['Acme Ltd owes me money', 'Acme Ltd'],
    ['I work at Green Valley Hospital', 'Green Valley Hospital'],
    ['I complained to the city housing bureau', 'the city housing bureau'],
  ])('%s → %s', (text, org) => {
    expect(valuesOf(text, 'organization')).toEqual([org]);
  });

  it.each([['我们公司不给钱'], ['这家公司'], ['那个厂'], ['去市中心'], ['the company refused'], ['上周五物业停水']])(
    'no organisation in %s',
    (text) => {
      expect(valuesOf(text, 'organization')).toEqual([]);
    },
  );
});

describe('person names (explicit cues only)', () => {
  it.each([
    ['我叫张三', '张三'],
    ['你好，我是李四，今年50岁', '李四'],
    ['本人王五，男', '王五'],
    ['我姓陈', '陈'],
    ['免贵姓欧阳', '欧阳'],
    ['我是陈先生', '陈先生'],
    ['我叫王小明住在朝阳区', '王小明'],
    ['my name is John Smith and I live here', 'John Smith'],
    ["Hello, I'm Mary Jones, a tenant", 'Mary Jones'],
  ])('%s → %s', (text, name) => {
    expect(valuesOf(text, 'personName')).toEqual([name]);
  });

  it.each([
    ['我是业主'],
    ['我是高三学生'],
    ['我是马上要走的'],
    ['本人于2023年入职'],
    ['我是张家村的'],
    ['John Smith owes me money'],
    ["I'm very upset"],
    ["I'm Chinese"],
  ])('no name in %s', (text) => {
    expect(valuesOf(text, 'personName')).toEqual([]);
  });
});

describe('people counts', () => {
  it.each([
    ['30多个工人没拿到工资', '30多个工人'],
    ['两百多户停水', '两百多户'],
    ['十几户人家', '十几户人家'],
    ['上百人受影响', '上百人'],
    ['二十多名工人', '二十多名工人'],
    ['200 families affected', '200 families'],
    ['hundreds of workers', 'hundreds of workers'],
    // After a clause's comma (full-width in the message), the number starts there.
    ['工资没发，几十个工人在等', '几十个工人'],
  ])('%s → %s', (text, count) => {
    expect(valuesOf(text, 'peopleCount')).toEqual([count]);
  });

  it.each([['我一个人在家'], ['个人信息'], ['三个月前'], ['我是高三学生']])('no count in %s', (text) => {
    expect(valuesOf(text, 'peopleCount')).toEqual([]);
  });
});

describe('maskPersonalData', () => {
  it.each([
    ['电话13812345678', '电话138****5678'],
    ['电话138-1234-5678。', '电话138****5678。'],
    ['身份证11010519491231002X', '身份证1101**********002X'],
    ['mail john@example.com now', 'mail j***@example.com now'],
    ['手机１３８００１３８０００', '手机138****8000'],
    ['座机010-12345678', '座机010-****5678'],
    ['我叫张三，电话13900001111，邮箱zs@qq.com', '我叫张三，电话139****1111，邮箱z***@qq.com'],
    ['身份证440301198506151239', '身份证4403**********1239'],
    ['订单号1381234567890123', '订单号1381234567890123'],
    ['没有个人信息', '没有个人信息'],
  ])('%s → %s', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });
});

describe('a long message', () => {
  it('finds every kind of entity with correct offsets', () => {
    const text =
      '我叫张三，电话138-1234-5678，住在杭州市西湖区文三路128号，在华星科技有限公司上班，公司拖欠我们30多个工人两万三千元工资，从去年年底到现在。';
    const got = extractEntities(text).map((e) => [e.type, e.value]);
    expect(got).toEqual([
      ['personName', '张三'],
      ['phone', '13812345678'],
      ['location', '杭州市西湖区文三路128号'],
      ['organization', '华星科技有限公司'],
      ['peopleCount', '30多个工人'],
      ['money', '两万三千元'],
      ['time', '去年年底'],
    ]);
    for (const e of extractEntities(text)) {
      if (e.type !== 'phone') expect(text.slice(e.start, e.end)).toBe(e.value);
    }
  });
});
