import { describe, expect, it } from 'vitest';
import { redactPersonalData } from './redaction.ts';

describe('redactPersonalData', () => {
  it('removes mobile, landline and ID card numbers however they are written', () => {
    const text = '联系13812345678或138-1234-5678，座机023-75551234，身份证50024219800101123X。';
    const result = redactPersonalData(text);
    expect(result).not.toMatch(/1381234|7555|50024219800101123X/);
    expect(result).toBe('联系[电话已隐去]或[电话已隐去]，座机[电话已隐去]，身份证[证件号已隐去]。');
  });

  it('finds a phone or ID number by its digits, whatever is put between them or however wide they are', () => {
    expect(redactPersonalData('王五秘密家门口 1 3 9 3 3 3 3 4 4 4 4 垃圾')).toBe('王五秘密家门口 [电话已隐去] 垃圾');
    for (const phone of [
      '139 3333 4444',
      '139.3333.4444',
      '139-3333-4444',
      '1 3 9  3 3 3 3 - 4 4 4 4',
      '１３９３３３３４４４４',
      '139\u30003333\u30004444',
    ]) {
      const result = redactPersonalData(`电话${phone}。`);
      expect(result, phone).toBe('电话[电话已隐去]。');
    }
    expect(redactPersonalData('身份证 500242 1980 0101 123X')).toBe('身份证 [证件号已隐去]');
    expect(redactPersonalData('座机 7555 1234')).toBe('座机 [电话已隐去]');
  });

  // Security recheck, item 2: a title "邻居电话139，1234，5678 … 一三九一二三四五六七八" showed both
  // numbers on the public affairs page and in Open311. Each row: what was written, what may be shown.
  it.each([
    ['邻居电话139，1234，5678', '邻居电话[电话已隐去]'],
    ['电话139,1234,5678。', '电话[电话已隐去]。'],
    ['电话139、1234、5678', '电话[电话已隐去]'],
    ['电话139/1234/5678', '电话[电话已隐去]'],
    ['电话 139 , 1234 , 5678', '电话 [电话已隐去]'],
    ['电话139．1234．5678', '电话[电话已隐去]'],
    ['电话1，3，9，1，2，3，4，5，6，7，8', '电话[电话已隐去]'],
    ['电话一三九一二三四五六七八', '电话[电话已隐去]'],
    ['电话一三九 一二三四 五六七八', '电话[电话已隐去]'],
    ['电话一三九，一二三四，五六七八', '电话[电话已隐去]'],
    ['电话幺三九幺二三四五六七八', '电话[电话已隐去]'],
    ['电话139一二三四5678', '电话[电话已隐去]'],
    ['电话零二三-七五五五一二三四', '电话[电话已隐去]'],
    ['座机023，75551234', '座机[电话已隐去]'],
    ['座机7555，1234', '座机[电话已隐去]'],
    ['房号3、5，13912345678', '房号3、5，[电话已隐去]'],
    ['身份证500242，19800101，123X', '身份证[证件号已隐去]'],
    ['身份证五〇〇二四二一九八〇〇一〇一一二三X', '身份证[证件号已隐去]'],
    ['身份证五零零二四二 一九八零零一零一 一二三X', '身份证[证件号已隐去]'],
    ['2026/11/30 13912345678', '2026/11/30 [电话已隐去]'],
  ])('hides %s', (text, shown) => {
    expect(redactPersonalData(text)).toBe(shown);
  });

  it.each([
    '2026/11/30 修好了',
    '2026年11月30日，2026-12-05',
    '二〇二六年十一月三十日',
    '补助1,234,567元，其中12,345,678元已到账',
    '123,456,789元',
    '1、3、5、7、9、11、13、15号门口',
    '101、103、105、107号',
    '一、二、三、四、五、六、七、八条意见',
    '三组5户，七组12户',
    '幺妹家门口3户',
    '第一二三四组',
    '2026-11-30 08:30 三组 5 户',
  ])('keeps %s', (text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it('removes e-mail addresses, full-width ones too', () => {
    expect(redactPersonalData('联系wang@example.com谢谢')).toBe('联系[邮箱已隐去]谢谢');
    expect(redactPersonalData('邮箱 li.si+cz@mail.qq.com，或 wang＠example．com')).toBe('邮箱 [邮箱已隐去]，或 [邮箱已隐去]');
  });

  it('keeps dates, times, groups and counts, but not a phone number dressed as a date', () => {
    for (const text of [
      '2026-11-30 08:30 三组 5 户',
      '2026.1.5 第3组',
      '2026-11-30 至 2026-12-05',
      '2026-11-30 2026-12-05',
      '路灯坏了12盏 1 2 3',
    ]) {
      expect(redactPersonalData(text), text).toBe(text);
    }
    expect(redactPersonalData('2026-11-30 13933334444')).toBe('2026-11-30 [电话已隐去]');
    expect(redactPersonalData('1993-3-3 3-3-4-4-4-4')).toBe('[电话已隐去]');
  });

  it('masks known names but keeps the family name, longest names first', () => {
    expect(redactPersonalData('张三丰和张三家门口堆了垃圾', ['张三', '张三丰'])).toBe('张某某和张某家门口堆了垃圾');
  });

  it('leaves ordinary numbers such as dates and counts alone', () => {
    expect(redactPersonalData('2026年11月有3户反映，路灯坏了12盏')).toBe('2026年11月有3户反映，路灯坏了12盏');
  });
});

describe('redactPersonalData against what got past it (attacker, 2026-12-03)', () => {
  it('finds numbers written with any punctuation, symbol or invisible character between the digits', () => {
    for (const phone of [
      '139‧1234‧5678',
      '139・1234・5678',
      '139~1234~5678',
      '139(1234)5678',
      '139\u200b1234\u200b5678',
      '139*1234*5678',
    ]) {
      expect(redactPersonalData(`电话${phone}`), phone).toBe('电话[电话已隐去]');
    }
  });

  it('reads the capital numerals of amounts as digits', () => {
    expect(redactPersonalData('电话壹叁玖壹贰叁肆伍陆柒捌')).toBe('电话[电话已隐去]');
    expect(redactPersonalData('身份证伍零零贰肆贰壹玖陆玖壹零零柒贰捌零伍')).toBe('身份证[证件号已隐去]');
    // A short amount stays: 伍佰元 is not a number to hide.
    expect(redactPersonalData('补助伍佰元')).toBe('补助伍佰元');
  });

  it('keeps times of day and time ranges, now that a colon may separate digits', () => {
    for (const text of ['周六08:00-12:00停水', '2026-11-30 08:00-12:00 停电', '14:30:00开会', '8:30～11:30']) {
      expect(redactPersonalData(text), text).toBe(text);
    }
    expect(redactPersonalData('13:91:23:45:67:8')).toBe('[电话已隐去]');
  });

  it('masks a known name split by spaces, punctuation or invisible characters', () => {
    const names = ['张长友'];
    for (const text of ['张 长友家漏水', '张·长友家漏水', '张\u200b长\u200b友家漏水', '张  长 友家漏水']) {
      expect(redactPersonalData(text, names), text).toBe('张某某家漏水');
    }
    expect(redactPersonalData('张长友家漏水', names)).toBe('张某某家漏水');
  });
});

describe('redactPersonalData against the second round (attacker recheck, 2026-12-03)', () => {
  it('reads digits of other scripts, circled, raised and bold digits, 两, and mixtures as digits', () => {
    for (const phone of [
      '١٣٩١٢٣٤٥٦٧٨',
      '१३९१२३४५६७८',
      '𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖',
      '①③⑨①②③④⑤⑥⑦⑧',
      '❶❸❾❶❷❸❹❺❻❼❽',
      '¹³⁹¹²³⁴⁵⁶⁷⁸',
      '〡〣〩〡〢〣〤〥〦〧〨',
      '两三九一两三四五六七八',
      '1三9壹2③4五6七8',
    ]) {
      expect(redactPersonalData(`电话${phone}`), phone).toBe('电话[电话已隐去]');
    }
  });

  it('looks through variation selectors, combining marks and any number of invisible characters, and four spaces', () => {
    for (const phone of [
      '139\uFE001234\uFE005678',
      '139\u03011234\u03015678',
      '139\u200b\u200b\u200b\u200b12345678',
      '1 3 9 　 　 1234    5678',
    ]) {
      expect(redactPersonalData(`电话${phone}`), JSON.stringify(phone)).toBe('电话[电话已隐去]');
    }
    expect(redactPersonalData('身份证50024219800101123Ｘ')).toBe('身份证[证件号已隐去]');
  });

  it('masks a name however many invisible characters are between its characters', () => {
    for (const text of ['冉\u200b\u200b\u200b鲜荣家', '冉\uFE00鲜\uFE00荣家', '冉\u0301鲜荣家', '冉  \u3000 鲜荣家']) {
      expect(redactPersonalData(text, ['冉鲜荣']), JSON.stringify(text)).toBe('冉某某家');
    }
  });
});
