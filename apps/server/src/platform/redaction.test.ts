import { describe, expect, it } from 'vitest';
import { redactPersonalData } from './redaction.ts';

describe('redactPersonalData', () => {
  it('removes mobile, landline and ID card numbers however they are written', () => {
    const text = '联系13812345678或138-1234-5678，座机023-75551234，身份证50024219800101123X。';
    const result = redactPersonalData(text);
    expect(result).not.toMatch(/1381234|7555|50024219800101123X/);
    expect(result).toBe('联系[电话已隐去]或[电话已隐去]，座机[电话已隐去]，身份证[证件号已隐去]。');
  });

  it('masks known names but keeps the family name, longest names first', () => {
    expect(redactPersonalData('张三丰和张三家门口堆了垃圾', ['张三', '张三丰'])).toBe('张某某和张某家门口堆了垃圾');
  });

  it('leaves ordinary numbers such as dates and counts alone', () => {
    expect(redactPersonalData('2026年11月有3户反映，路灯坏了12盏')).toBe('2026年11月有3户反映，路灯坏了12盏');
  });
});
