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

/**
 * antd's own form messages (its locale's Form.defaultValidateMessages) put the rule into the
 * sentence: "电话与模式不匹配/^[0-9+\\-() ]{5,20}$/", "${label}必须是其中一个[a,b]", "不是一个有效的
 * integer". These say the same in words, naming the field (${label}) and never the pattern, the
 * type or the list; the antd provider (components/AntdTheme.tsx) gives them to every form.
 * Lengths and ranges keep their numbers: a person can act on "最多20个字".
 */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: antd fills ${label}, ${min} and ${max} in itself
export function validateMessagesFor(language: string) {
  const en = language === 'en';
  const invalid = en ? '${label} is not valid' : '${label}格式不正确';
  const types = Object.fromEntries(
    ['string', 'method', 'array', 'object', 'number', 'date', 'boolean', 'integer', 'float', 'regexp', 'email', 'url', 'hex'].map(
      (type) => [type, type === 'integer' ? (en ? '${label}: enter a whole number' : '${label}请输入整数') : invalid],
    ),
  );
  return en
    ? {
        default: '${label} is not valid',
        required: 'Please enter ${label}',
        enum: '${label}: choose one of the options',
        whitespace: '${label} cannot be blank',
        date: { format: invalid, parse: invalid, invalid },
        types,
        string: {
          len: '${label} must be ${len} characters',
          min: '${label} needs at least ${min} characters',
          max: '${label} can have at most ${max} characters',
          range: '${label} must be ${min} to ${max} characters',
        },
        number: {
          len: '${label} must be ${len}',
          min: '${label} must be at least ${min}',
          max: '${label} must be at most ${max}',
          range: '${label} must be from ${min} to ${max}',
        },
        array: {
          len: 'Choose ${len} ${label}',
          min: 'Choose at least ${min} ${label}',
          max: 'Choose at most ${max} ${label}',
          range: 'Choose ${min} to ${max} ${label}',
        },
        pattern: { mismatch: invalid },
      }
    : {
        default: '${label}填写有误',
        required: '请输入${label}',
        enum: '${label}请从选项中选择',
        whitespace: '${label}不能只有空格',
        date: { format: invalid, parse: invalid, invalid },
        types,
        string: {
          len: '${label}须为${len}个字',
          min: '${label}最少${min}个字',
          max: '${label}最多${max}个字',
          range: '${label}须为${min}到${max}个字',
        },
        number: {
          len: '${label}须等于${len}',
          min: '${label}最小为${min}',
          max: '${label}最大为${max}',
          range: '${label}须在${min}到${max}之间',
        },
        array: {
          len: '须选${len}个${label}',
          min: '最少选${min}个${label}',
          max: '最多选${max}个${label}',
          range: '${label}须选${min}到${max}个',
        },
        pattern: { mismatch: invalid },
      };
}
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: antd's templates end here
