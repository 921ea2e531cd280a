// What `npm run evidence:verify` prints: the verdict first, then who signed it and how far that
// is proven, then what the package is about. Chinese first, English second, one fact a line.
import { groupFingerprint } from './county-signing-key.ts';
import type { EvidenceVerification } from './evidence-verifier.ts';

export function describeVerification(result: EvidenceVerification, packageName: string): string {
  const lines = ['村治视频取证包核验 / Cunzhi evidence package check', `文件 File: ${clean(packageName)}`, ''];
  if (result.valid && !result.signerVerified) {
    // Intact, but anyone could have re-signed a changed package with a key of their own and enclosed it.
    lines.push(
      '结果 Result: 仅完整性已核验，签发者未核实 INTEGRITY ONLY — ORIGIN NOT CHECKED',
      '  包内文件与清单一致，签名与包内附带的公钥相符；但该公钥可能是任何人的，',
      '  不能据此认定由县里签发。请加 --fingerprint <县里公布的公钥指纹> 重新核验。',
      '  The files match the manifest and the signature matches the key enclosed in the package, but that',
      '  key could be anyone’s: this does not show the county signed it. Run again with',
      '  --fingerprint <the county’s published key fingerprint>.',
    );
  } else if (result.valid) {
    lines.push(
      '结果 Result: 有效 VALID',
      '  签名正确，每个文件的大小和 SHA-256 与清单一致，无缺失、无多余、无任何字节被改动。',
      '  The signature holds; every file matches the manifest in size and SHA-256; nothing is missing, extra or changed.',
    );
  } else {
    lines.push(
      '结果 Result: 无效 INVALID',
      '  该取证包被改动、损坏或并非所信任的县级密钥签发，不能作为证据使用。',
      '  The package was altered or damaged, or not signed by the trusted county key: do not rely on it.',
      '问题 Problems:',
      ...result.problems.map((p) => `  - ${p.zh} / ${p.en}`),
    );
  }
  lines.push('', ...signerLines(result));
  const m = result.manifest;
  if (m) {
    const images = m.files.filter((f) => f.role === 'image').length;
    const who = (p: { name: string; role?: string; organisation?: string }) =>
      [p.name, p.role, p.organisation]
        .filter((part) => part !== undefined)
        .map(clean)
        .join('，');
    lines.push(
      '',
      result.valid
        ? '清单所载 What the signed manifest states:'
        : '清单所载（包内文件与之不符）What the signed manifest states (the files do not match it):',
      `案件编号 Case number: ${clean(m.caseNumber)}`,
      `取证包 Package: ${clean(m.packageId)}`,
      `摄像头 Camera: ${clean(m.camera.name)} (${clean(m.camera.id)})，${clean(m.region.name)}`,
      `时间范围 Time range: ${beijing(m.timeRange.from)} — ${beijing(m.timeRange.to)}（北京时间 Beijing time）`,
      `申请 Requested: ${who(m.request.by)}，${beijing(m.request.at)}：${clean(m.request.reason)}`,
      `批准 Approved: ${who(m.approval.by)}，${beijing(m.approval.at)}：${clean(m.approval.reason)}`,
      `签发 Issued: ${clean(m.issuer.county)} / ${clean(m.issuer.platform)}，${beijing(m.createdAt)}`,
      `图片 Images: ${images}；核验文件 files checked: ${result.filesChecked}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function signerLines(result: EvidenceVerification): string[] {
  const fingerprint = result.enclosedKeyFingerprint ? groupFingerprint(result.enclosedKeyFingerprint) : '—';
  if (!result.valid) return [`签名者 Signer: 未核实 NOT VERIFIED`, `包内公钥指纹 Enclosed key fingerprint (SHA-256): ${fingerprint}`];
  switch (result.signer) {
    case 'trusted-key':
    case 'trusted-fingerprint':
      return [
        '签名者 Signer: 已核实 VERIFIED',
        `  签名公钥与您提供的${result.signer === 'trusted-key' ? '县级公钥' : '公钥指纹'}一致。`,
        `  The signing key is the ${result.signer === 'trusted-key' ? 'public key' : 'fingerprint'} you gave as the county's.`,
        `公钥指纹 Key fingerprint (SHA-256): ${fingerprint}`,
      ];
    case 'enclosed-key-only':
      return [
        '签名者 Signer: 未核实 NOT VERIFIED',
        '  签名仅用取证包内附带的公钥核对，只能证明包未被改动，不能证明由县里签发。',
        '  请把下列指纹与县里公布的指纹（平台 /api/monitoring/evidence-key 或公安取证页面）逐位比对，',
        '  或加 --fingerprint <县里公布的指纹> 重新核验。',
        '  The signature was checked against the key enclosed in the package: this proves the package is',
        '  unchanged since it was signed, not who signed it. Compare this fingerprint with the one the county',
        '  publishes (/api/monitoring/evidence-key, the police evidence page), or run again with',
        '  --fingerprint <the county’s fingerprint>.',
        `包内公钥指纹 Enclosed key fingerprint (SHA-256): ${fingerprint}`,
      ];
    default:
      return ['签名者 Signer: 未核实 NOT VERIFIED', `包内公钥指纹 Enclosed key fingerprint (SHA-256): ${fingerprint}`];
  }
}

/**
 * A manifest signed by an unknown key is still printed, so its text must not be able to move the
 * cursor or recolour the terminal and hide the verdict: control and bidi characters become `?`.
 */
function clean(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** `2026-12-01 09:00:00` on Beijing time (UTC+8), how the police and the county read times. */
function beijing(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
