// A 400 validation_failed names the field it refused (`body.phone`): the form shows the problem under
// that field instead of only "输入有误" at the top. Every form that submits to the API goes through here.
// Read by shape, not instanceof ApiError: this file loads no i18n, so it is tested without a browser.
type Refusal = { code?: unknown; message?: unknown; details?: unknown };

export type FieldError = { field: string; message: string };

// The server's problem is JSON-schema wording in English; the person reads a short sentence instead.
const PROBLEMS: { match: RegExp; zh: string; en: string }[] = [
  { match: /pattern|format/, zh: '格式不正确', en: 'Not in the expected format' },
  { match: /integer/, zh: '请输入整数', en: 'Enter a whole number' },
  { match: /fewer than|maxLength|at most|maximum|<=/, zh: '超出允许的长度或范围', en: 'Too long or too large' },
  { match: /more than|minLength|at least|minimum|>=/, zh: '不能为空或过小', en: 'Too short or too small' },
  { match: /required/, zh: '此项必填', en: 'Required' },
];

/** The one field a refusal is about, as the form names it (`body.phone` → `phone`), with its message. */
export function fieldErrorOf(error: unknown, language: string): FieldError | null {
  const refusal = (error ?? {}) as Refusal;
  if (refusal.code !== 'validation_failed') return null;
  const detail = (Array.isArray(refusal.details) ? refusal.details[0] : refusal.details) as
    | { field?: unknown; problem?: unknown }
    | undefined;
  if (typeof detail?.field !== 'string') return null;
  const field = detail.field.replace(/^body[./]/, '').split(/[./]/)[0];
  if (!field || field === 'body' || detail.field.startsWith('query') || detail.field.startsWith('params')) return null;
  const problem = typeof detail.problem === 'string' ? detail.problem : '';
  const words = PROBLEMS.find((p) => p.match.test(problem));
  const en = language === 'en';
  return { field, message: words ? (en ? words.en : words.zh) : String(refusal.message ?? '') };
}

/** The small part of an antd FormInstance this needs (no antd here: phone pages stay light). */
type FieldsForm = {
  getFieldsValue(): unknown;
  setFields(fields: { name: never; errors: string[] }[]): void;
};

/**
 * Puts a refusal on its field when the form has that field, and answers whether it did; when not,
 * the caller keeps showing the error's own message at the top.
 */
export function showFieldError(form: FieldsForm, error: unknown, language: string): boolean {
  const found = fieldErrorOf(error, language);
  const values = form.getFieldsValue();
  if (!found || typeof values !== 'object' || values === null || !(found.field in values)) return false;
  form.setFields([{ name: found.field as never, errors: [found.message] }]);
  return true;
}
