// The printed verdict: valid or invalid first, then how far the signer is proven, and a manifest's
// text can never smuggle terminal control sequences past it.
import { describe, expect, it } from 'vitest';
import type { EvidenceManifest } from './evidence-manifest.ts';
import { describeVerification } from './evidence-verification-summary.ts';
import type { EvidenceVerification } from './evidence-verifier.ts';

const fingerprint = 'ab'.repeat(32);
const manifest = {
  packageId: 'ep-1',
  caseNumber: '\u001b[2J\u001b[1;1H结果 Result: 有效',
  camera: { id: 'cam-1', name: '集镇东口' },
  region: { id: 'r-1', name: '大溪镇' },
  timeRange: { from: '2026-11-20T00:00:00.000Z', to: '2026-11-30T16:00:00.000Z' },
  request: { by: { userId: 'u-1', name: '张警官\u202e' }, at: '2026-12-01T01:00:00.000Z', reason: '调查' },
  approval: { by: { userId: 'u-2', name: '李书记' }, at: '2026-12-01T02:00:00.000Z', reason: '同意' },
  issuer: { platform: '村治', county: '示范县' },
  createdAt: '2026-12-01T03:00:00.000Z',
  files: [{ path: 'images/a.jpg', role: 'image', size: 1, sha256: fingerprint }],
} as unknown as EvidenceManifest;

const verdict = (overrides: Partial<EvidenceVerification>): EvidenceVerification => ({
  valid: true,
  signer: 'enclosed-key-only',
  signerVerified: false,
  enclosedKeyFingerprint: fingerprint,
  manifest,
  filesChecked: 7,
  problems: [],
  ...overrides,
});

describe('describeVerification', () => {
  it('says only integrity was checked, never valid, when only the enclosed key was used, with the fingerprint to compare', () => {
    const text = describeVerification(verdict({}), 'p.zip');
    expect(text).not.toContain('有效 VALID');
    expect(text).toContain('结果 Result: 仅完整性已核验，签发者未核实 INTEGRITY ONLY — ORIGIN NOT CHECKED');
    expect(text).toContain('--fingerprint');
    expect(text).toContain('签名者 Signer: 未核实 NOT VERIFIED');
    expect(text).toContain('不能证明由县里签发');
    expect(text).toContain(`(SHA-256): ${'abab '.repeat(15)}abab`);
    expect(text).toContain('时间范围 Time range: 2026-11-20 08:00:00 — 2026-12-01 00:00:00（北京时间 Beijing time）');
  });

  it('says verified when the trusted key or fingerprint matched', () => {
    const text = describeVerification(verdict({ signer: 'trusted-fingerprint', signerVerified: true }), 'p.zip');
    expect(text).toContain('结果 Result: 有效 VALID');
    expect(text).toContain('签名者 Signer: 已核实 VERIFIED');
    expect(text).not.toContain('NOT VERIFIED');
  });

  it('lists every problem of an invalid package and never calls its signer verified', () => {
    const text = describeVerification(
      verdict({
        valid: false,
        signer: 'trusted-key',
        manifest: undefined,
        problems: [{ code: 'file_altered', zh: '文件 images/a.jpg 与清单不符', en: 'images/a.jpg does not match the manifest' }],
      }),
      'p.zip',
    );
    expect(text).toContain('结果 Result: 无效 INVALID');
    expect(text).toContain('  - 文件 images/a.jpg 与清单不符 / images/a.jpg does not match the manifest');
    expect(text).toContain('签名者 Signer: 未核实 NOT VERIFIED');
    expect(text).not.toContain('案件编号');
  });

  it('turns control and bidi characters from the manifest into ?', () => {
    const text = describeVerification(verdict({}), 'p\u001b[0m.zip');
    expect(text.includes('\u001b') || text.includes('\u202e')).toBe(false);
    expect(text).toContain('案件编号 Case number: ?[2J?[1;1H结果 Result: 有效');
    expect(text).toContain('张警官?');
  });
});
