// A one-page PDF of text lines, made by the platform itself. Chinese is set in STSong-Light, one
// of the CJK fonts every PDF reader provides (Adobe-GB1, UCS-2 encoding), so nothing is embedded
// and nothing is downloaded; Latin text goes through the same font.

export type PdfLine = { text: string; size: number; x: number; y: number };

const hexUtf16 = (text: string) => {
  let hex = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    // Outside the basic plane there is no UCS-2 code: a full-width question mark stands in.
    hex += (code > 0xffff ? 0xff1f : code).toString(16).padStart(4, '0');
  }
  return hex;
};

/** A4 portrait (595 × 842 points), origin at the bottom left. */
export function textPdf(lines: PdfLine[], title: string): Buffer {
  const content = lines.map((l) => `BT /F1 ${l.size} Tf ${l.x} ${l.y} Td <${hexUtf16(l.text)}> Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
    `<< /Title <feff${hexUtf16(title)}> /Producer (Cunzhi) >>`,
  ];
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (const [index, object] of objects.entries()) {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
