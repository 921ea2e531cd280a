// The document an approved application produces (办结通知书), made by the platform as a PDF with the
// applicant's data, for the department to print, hand over or mail.
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { textPdf } from '../../platform/pdf.ts';
import { toIso } from '../../platform/time.ts';
import { visibleApplication } from './application-access.ts';
import { findItem } from './catalogue.service.ts';

export async function certificatePdf(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<Buffer> {
  const application = await visibleApplication(deps, principal, id);
  if (application.state !== 'approved' && application.state !== 'delivered') {
    throw new AppError('invalid_transition', {}, { state: application.state, action: 'certificate' });
  }
  const item = await findItem(deps, application.itemId);
  const date = (ms: number | null) => (ms === null ? '' : toIso(ms).slice(0, 10));
  const lines = [
    { text: '酉阳县政务服务办结通知书', size: 22, x: 160, y: 770 },
    { text: `编号：${application.certificateNumber ?? application.id}`, size: 12, x: 60, y: 730 },
    { text: `申请人：${application.applicantName}`, size: 14, x: 60, y: 690 },
    { text: `办理事项：${application.itemName}`, size: 14, x: 60, y: 665 },
    { text: `承办部门：${item?.departmentName ?? ''}`, size: 14, x: 60, y: 640 },
    { text: `办理方式：${application.channel === 'proxy' ? '邮政网点政务服务厅代办' : '网上申请'}`, size: 14, x: 60, y: 615 },
    { text: `受理日期：${date(application.acceptedAt)}    办结日期：${date(application.decidedAt)}`, size: 14, x: 60, y: 590 },
    { text: `送达方式：${application.delivery === 'mail' ? `邮寄至 ${application.address ?? ''}` : '窗口领取'}`, size: 14, x: 60, y: 565 },
    { text: '经审核，您的申请符合规定，予以办结。', size: 14, x: 60, y: 525 },
    { text: '酉阳土家族苗族自治县政务服务中心', size: 14, x: 320, y: 460 },
    { text: date(application.decidedAt), size: 14, x: 380, y: 435 },
  ];
  await recordAudit(
    deps.db,
    actor,
    { action: 'services.certificate.read', targetType: 'serviceApplication', targetId: id, regionId: application.placement.regionId },
    deps.now(),
  );
  return textPdf(lines, `${application.itemName} 办结通知书`);
}
