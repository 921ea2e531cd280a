// GeoReport v2 XML: a root element of plural name holding one element per item, fields as child
// elements. Enough of XML for flat records and lists of flat records.

const escapeText = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element(singular(name), item)).join('')}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

const singular = (name: string) =>
  name.endsWith('ies') ? `${name.slice(0, -3)}y` : name.endsWith('s') ? name.slice(0, -1) : `${name}_item`;

export function toXml(root: string, items: unknown[] | Record<string, unknown>): string {
  const body = Array.isArray(items)
    ? items.map((item) => element(singular(root), item)).join('')
    : Object.entries(items)
        .map(([k, v]) => element(k, v))
        .join('');
  return `<?xml version="1.0" encoding="utf-8"?><${root}>${body}</${root}>`;
}
