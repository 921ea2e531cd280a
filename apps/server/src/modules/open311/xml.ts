// GeoReport v2 XML: schemaless, no namespace, element names as in the specification's examples.
// A list's items are named by the list (services/service, service_requests/request, errors/error,
// attributes/attribute, values/value); fields are child elements; null is an empty element.

/** The item element of each list the specification defines; any other list is a programming error. */
const ITEM_OF: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
};

// XML 1.0 allows only tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF. Anything else
// (most C0 controls, lone surrogates, U+FFFE/U+FFFF) makes the document ill-formed even written
// as &#1;, so it is dropped here: rows stored before input was cleaned may still hold it.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export const xmlText = (text: string) => text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

function itemOf(list: string): string {
  const item = ITEM_OF[list];
  if (!item) throw new Error(`GeoReport XML has no item element for the list ${list}`);
  return item;
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element(itemOf(name), item)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${fields(value as Record<string, unknown>)}</${name}>`;
  return `<${name}>${xmlText(String(value))}</${name}>`;
}

const fields = (record: Record<string, unknown>) =>
  Object.entries(record)
    .map(([k, v]) => element(k, v))
    .join('');

/** A document whose root is `root`: a list (`services`, `service_requests`, `errors`) or one record (`service_definition`). */
export function toXml(root: string, payload: unknown[] | Record<string, unknown>): string {
  const body = Array.isArray(payload) ? payload.map((item) => element(itemOf(root), item)).join('') : fields(payload);
  return `<?xml version="1.0" encoding="utf-8"?><${root}>${body}</${root}>`;
}
