import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { HouseholdInput, PersonInput } from '../../../../packages/contracts/src/org.ts';
import { fieldErrorOf, showFieldError } from './field-errors.ts';
import { bodyOfForm, isNullable } from './form-values.ts';

describe('what a form sends for a field typed in and cleared', () => {
  it('an edit sends null for a Nullable field (the phone is cleared), and leaves out one that is not (the number stays)', () => {
    expect(bodyOfForm({ headName: '张三', phone: '', address: '  ', number: '' }, { editing: true, contract: HouseholdInput })).toEqual({
      headName: '张三',
      phone: null,
      address: null,
    });
  });

  it('a create leaves every empty field out, never sending "" (the server refuses "" as a phone)', () => {
    expect(
      bodyOfForm({ name: '李四', phone: '', relation: 'child', idNumber: undefined }, { editing: false, contract: PersonInput }),
    ).toEqual({
      name: '李四',
      relation: 'child',
    });
    // The appeal intake has no contract given: "" is left out as well.
    expect(bodyOfForm({ reporterPhone: '', title: '路灯坏了' }, { editing: false })).toEqual({ title: '路灯坏了' });
  });

  it('keeps what was typed, numbers and false as they are', () => {
    expect(bodyOfForm({ phone: '13800000011', deadlineHours: 0, active: false }, { editing: true, contract: HouseholdInput })).toEqual({
      phone: '13800000011',
      deadlineHours: 0,
      active: false,
    });
  });

  it('reads Nullable from the contract', () => {
    expect(isNullable(PersonInput, 'phone')).toBe(true);
    expect(isNullable(PersonInput, 'name')).toBe(false);
    expect(isNullable(Type.Object({ a: Type.String() }), 'missing')).toBe(false);
  });
});

describe('a refusal shown on the field it names', () => {
  const refusal = (field: string, problem = 'must match pattern "^[0-9+\\-() ]{5,20}$"') => ({
    code: 'validation_failed',
    message: '输入有误，请检查后重试',
    details: [{ field, problem }],
  });

  it('maps body.phone to the form field phone with a Chinese message, English when chosen', () => {
    expect(fieldErrorOf(refusal('body.phone'), 'zh-CN')).toEqual({ field: 'phone', message: '格式不正确' });
    expect(fieldErrorOf(refusal('body.phone'), 'en')).toEqual({ field: 'phone', message: 'Not in the expected format' });
    expect(fieldErrorOf(refusal('body.quantity', 'must be integer'), 'zh-CN')?.message).toBe('请输入整数');
    // A detail given as one object (services' address check) is read too.
    expect(
      fieldErrorOf({ code: 'validation_failed', message: 'x', details: { field: 'address', problem: 'required for mail' } }, 'zh-CN'),
    ).toEqual({
      field: 'address',
      message: '此项必填',
    });
  });

  it('finds no field in other refusals, a whole-body or a query problem', () => {
    expect(fieldErrorOf({ code: 'forbidden', message: 'x' }, 'zh-CN')).toBeNull();
    expect(fieldErrorOf(refusal('body', 'could not be read'), 'zh-CN')).toBeNull();
    expect(fieldErrorOf(refusal('query.cursor'), 'zh-CN')).toBeNull();
    expect(fieldErrorOf(new Error('network'), 'zh-CN')).toBeNull();
  });

  it('sets the error on the form only when the form has that field; otherwise the caller keeps the general message', () => {
    const set: unknown[] = [];
    const form = { getFieldsValue: () => ({ phone: undefined, headName: '张三' }), setFields: (fields: unknown[]) => set.push(...fields) };
    expect(showFieldError(form, refusal('body.phone'), 'zh-CN')).toBe(true);
    expect(set).toEqual([{ name: 'phone', errors: ['格式不正确'] }]);
    expect(showFieldError(form, refusal('body.regionCode'), 'zh-CN')).toBe(false);
    expect(set).toHaveLength(1);
  });
});
