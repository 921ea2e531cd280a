// Text for the public with the people taken out: phone numbers, ID card numbers and the names we
// know of are replaced, so that a report on the exposure board says what is wrong, not who said it.

const ID_NUMBER = /\d{17}[\dXx]|\d{15}/g;
const MOBILE = /(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g;

/** "张三丰" becomes "张某某": the family name stays, as a notice board would write it. */
const maskName = (name: string) => `${name.slice(0, 1)}${'某'.repeat(Math.max(1, name.length - 1))}`;

export function redactPersonalData(text: string, names: readonly string[] = []): string {
  let result = text.replace(ID_NUMBER, '[证件号已隐去]').replace(MOBILE, '[电话已隐去]').replace(LANDLINE, '[电话已隐去]');
  // Longest names first, so that "张三丰" is not left as "张某丰" by "张三".
  const distinct = [...new Set(names.filter((n) => n.trim().length >= 2))].sort((a, b) => b.length - a.length);
  for (const name of distinct) result = result.replaceAll(name, maskName(name));
  return result;
}
