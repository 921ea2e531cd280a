// The words a form shows for a refused field: never the rule's pattern, type or list.
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { describe, expect, it } from 'vitest';
import { fieldErrorOf, validateMessagesFor } from './field-errors.ts';

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value]] : leaves(value, `${prefix}${key}.`),
  );

// biome-ignore-start lint/suspicious/noTemplateCurlyInString: antd's placeholders, as text
describe('form messages in words', () => {
  const antdZh = zhCN.Form?.defaultValidateMessages as unknown as Tree;
  const antdEn = enUS.Form?.defaultValidateMessages as unknown as Tree;

  it('replaces antd’s messages that print the rule (the "与模式不匹配/^…$/" a user saw)', () => {
    expect(leaves(antdZh).find(([key]) => key === 'pattern.mismatch')?.[1]).toContain('${pattern}');
    const zh = Object.fromEntries(leaves(validateMessagesFor('zh-CN') as unknown as Tree));
    // antd fills ${label} with the field's label: the person reads "联系电话格式不正确".
    expect(zh['pattern.mismatch']?.replace('${label}', '联系电话')).toBe('联系电话格式不正确');
    expect(Object.fromEntries(leaves(validateMessagesFor('en') as unknown as Tree))['pattern.mismatch']?.replace('${label}', 'Phone')).toBe(
      'Phone is not valid',
    );
  });

  it('has a message for every one antd has, in both languages, none naming a pattern, type or list', () => {
    for (const [language, antd] of [
      ['zh-CN', antdZh],
      ['en', antdEn],
    ] as const) {
      const ours = leaves(validateMessagesFor(language) as unknown as Tree);
      expect(ours.map(([key]) => key).sort()).toEqual(
        leaves(antd)
          .map(([key]) => key)
          .sort(),
      );
      for (const [key, message] of ours) {
        expect(message, key).not.toMatch(/\$\{(pattern|type|enum)\}/);
        if (language === 'zh-CN') expect(message, key).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  // biome-ignore-end lint/suspicious/noTemplateCurlyInString: placeholders end here
  it('never passes a server problem’s pattern on to the person', () => {
    const refusal = {
      code: 'validation_failed',
      message: '输入有误，请检查后重试',
      details: [{ field: 'body.reporterPhone', problem: 'must match pattern "^[0-9+\\-() ]{5,20}$"' }],
    };
    expect(fieldErrorOf(refusal, 'zh-CN')).toEqual({ field: 'reporterPhone', message: '格式不正确' });
    const odd = { ...refusal, details: [{ field: 'body.code', problem: 'something new /^[a-z]+$/' }] };
    expect(fieldErrorOf(odd, 'zh-CN')?.message).toBe('输入有误，请检查后重试');
  });
});
