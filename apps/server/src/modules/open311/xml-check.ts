// A strict well-formedness check for tests of the XML this module writes. No XML parser is among
// the dependencies, so this accepts a deliberately small subset of XML 1.0 (the declaration,
// elements without attributes, character data with the five predefined entities and character
// references): a document it accepts is well-formed; comments, CDATA, attributes and a doctype it
// refuses rather than understands.

const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const DECLARATION = /^<\?xml version="1\.0" encoding="utf-8"\?>/i;
const TAG = /^<(\/?)([A-Za-z_][A-Za-z0-9_.-]*)(\/?)>/;
const REFERENCE = /^&(?:amp|lt|gt|quot|apos|#([0-9]+)|#x([0-9A-Fa-f]+));/;

const isXmlChar = (codePoint: number) =>
  codePoint <= 0x10ffff && XML_CHAR.test(String.fromCodePoint(codePoint)) && !(codePoint >= 0xd800 && codePoint <= 0xdfff);

function textProblem(text: string): string | null {
  if (text.includes(']]>')) return "']]>' in character data";
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    const reference = REFERENCE.exec(text.slice(at));
    if (!reference) return `a bare '&' at ${at}`;
    const [, decimal, hex] = reference;
    if (decimal !== undefined || hex !== undefined) {
      const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex as string, 16);
      if (!isXmlChar(codePoint)) return `a reference to a character XML forbids (${codePoint})`;
    }
  }
  return null;
}

/** Null when `doc` is a well-formed document of the accepted subset; otherwise what is wrong. */
export function xmlProblem(doc: string): string | null {
  if (!XML_CHAR.test(doc)) return 'a character XML 1.0 forbids';
  const declaration = DECLARATION.exec(doc);
  if (!declaration) return 'no XML declaration with version 1.0 and encoding utf-8';
  const stack: string[] = [];
  let roots = 0;
  let rest = doc.slice(declaration[0].length);
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (text.length > 0) {
      if (stack.length === 0 && text.trim() !== '') return 'text outside the root element';
      const problem = textProblem(text);
      if (problem) return problem;
    }
    if (lt === -1) break;
    rest = rest.slice(lt);
    const tag = TAG.exec(rest);
    if (!tag) return `markup this check does not accept near '${rest.slice(0, 20)}'`;
    const [whole, closing, name, selfClosing] = tag;
    if (closing && selfClosing) return 'a tag both closing and empty';
    if (closing) {
      if (stack.pop() !== name) return `</${name}> closes an element it did not open`;
    } else {
      if (stack.length === 0 && ++roots > 1) return 'more than one root element';
      if (!selfClosing) stack.push(name as string);
    }
    rest = rest.slice(whole.length);
  }
  if (roots === 0) return 'no root element';
  if (stack.length > 0) return `<${stack.at(-1)}> is never closed`;
  return null;
}
