// The demo county's evidence request (issue 16 item 8): Daxi's police liaison (13800000016) asks
// for a camera's pictures of the time a structure went up, for a made-up case number, and a cadre
// of the camera's place approves, so the liaison's page shows a package ready to download. The
// monitoring demo calls this once its cameras have pictures; it goes through the same services as
// the pages, so the requests, the holds, the package and the audit rows are what a real one leaves.
import { type Principal, rolesOf } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { principalAccount, userIdByPhone } from '../org/users.service.ts';
import { decideEvidenceRequest, requestEvidence } from './monitoring-evidence.service.ts';

export const DEMO_LIAISON_PHONE = '13800000016';
export const DEMO_CASE_NUMBER = 'A5002421040002026110031';

/** The principal and actor of a demo account, for the demo to act through the services as that person. */
export async function demoActing(deps: Deps, userId: string): Promise<{ principal: Principal; actor: Actor }> {
  const account = await principalAccount(deps, userId);
  if (!account) throw new Error('demo monitoring: no such account');
  const principal: Principal = {
    userId: account.id,
    displayName: account.displayName,
    phone: account.phone,
    personId: account.personId,
    householdId: account.householdId,
    assignments: account.assignments,
  };
  return { principal, actor: { userId: account.id, roles: rolesOf(principal).join(','), ip: null, requestId: null } };
}

/**
 * Asks for `cameraId`'s pictures in [from, to] as the demo liaison (or `liaisonUserId`) and has
 * `approverUserId`, a township official or village cadre of the camera's place, approve. Returns
 * the request's id.
 */
export async function seedDemoEvidence(
  deps: Deps,
  input: { cameraId: string; approverUserId: string; from: number; to: number; liaisonUserId?: string },
): Promise<string> {
  const liaisonId = input.liaisonUserId ?? (await userIdByPhone(deps, DEMO_LIAISON_PHONE));
  if (!liaisonId) throw new Error('demo evidence: the demo liaison is missing');
  const liaison = await demoActing(deps, liaisonId);
  const approver = await demoActing(deps, input.approverUserId);
  const request = await requestEvidence(
    deps,
    liaison.principal,
    liaison.actor,
    {
      cameraId: input.cameraId,
      caseNumber: DEMO_CASE_NUMBER,
      reason: '大溪镇集镇违法搭建引发的纠纷，调取搭建期间的监控图像',
      from: new Date(input.from).toISOString(),
      to: new Date(input.to).toISOString(),
    },
    undefined,
  );
  await decideEvidenceRequest(deps, approver.principal, approver.actor, request.id, {
    approve: true,
    reason: '经核实属本镇辖区案件，同意调取',
  });
  return request.id;
}
