import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toXlsx, zip } from './xlsx.ts';

/** Reads a ZIP archive through its central directory, as spreadsheet programs do. */
function unzip(archive: Buffer): Map<string, string> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const packedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const local = archive.readUInt32LE(at + 42);
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    files.set(name, inflateRawSync(archive.subarray(dataStart, dataStart + packedSize)).toString('utf8'));
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return files;
}

describe('xlsx', () => {
  it('packs entries that unpack to the same content', () => {
    const files = unzip(zip({ 'a.txt': 'hello', 'dir/b.xml': '<x>你好</x>' }));
    expect(Object.fromEntries(files)).toEqual({ 'a.txt': 'hello', 'dir/b.xml': '<x>你好</x>' });
  });

  it('writes a workbook whose sheet holds the strings and numbers, escaped, with the parts Excel requires', () => {
    const workbook = unzip(
      toXlsx('统计', [
        ['分组 Group', '受理 Received'],
        ['分类 <道路> & "桥梁"', 42],
        ['合计', null],
      ]),
    );
    expect([...workbook.keys()].sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    const sheet = workbook.get('xl/worksheets/sheet1.xml') as string;
    expect(sheet).toContain('<c r="B2"><v>42</v></c>');
    expect(sheet).toContain('分类 &lt;道路&gt; &amp; &quot;桥梁&quot;');
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr">');
    expect(sheet).not.toContain('r="B3"');
    expect(workbook.get('xl/workbook.xml')).toContain('name="统计"');
  });
});
