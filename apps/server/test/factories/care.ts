// Care: an elder in care (a registered person) wearing a bracelet, and a family member linked to
// them with consent, each made by a village cadre, township official or doctor over the elder.
import type { Device, Elder } from '../../src/modules/care/care-elders.service.ts';
import { linkFamily, registerDevice, saveElder } from '../../src/modules/care/care-elders.service.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { actingAs, nextNumber } from './acting.ts';

/**
 * `personId` taken into care by `by`, with a bracelet registered to them unless `device` is null.
 * `key` is the device's own key, shown once, for tests that send readings as the device.
 */
export async function buildElder(
  deps: Deps,
  overrides: {
    by: string;
    personId: string;
    livingSituation?: string;
    conditions?: string[];
    contacts?: { name: string; relation: string; phone: string }[];
    doctorUserId?: string | null;
    caretakerUserId?: string | null;
    device?: { serial?: string; kind?: string } | null;
  },
): Promise<{ elder: Elder; device: Device | null; key: string | null }> {
  const { by, device, ...input } = overrides;
  const { principal, actor } = await actingAs(deps, by);
  const elder = await saveElder(deps, principal, actor, {
    livingSituation: '独居',
    conditions: ['高血压'],
    contacts: [{ name: '冉小军', relation: '儿子', phone: '13911112222' }],
    ...input,
  });
  if (device === null) return { elder, device: null, key: null };
  const registered = await registerDevice(deps, principal, actor, {
    serial: device?.serial ?? `BR-TEST-${String(nextNumber()).padStart(6, '0')}`,
    kind: device?.kind ?? 'bracelet',
    elderPersonId: elder.personId,
  });
  return { elder, device: registered.device, key: registered.key };
}

/** `userId` (a family member's account) linked by `by` to the elder `elderPersonId`, with consent. */
export async function buildFamilyLink(deps: Deps, overrides: { by: string; elderPersonId: string; userId: string }): Promise<void> {
  const { principal, actor } = await actingAs(deps, overrides.by);
  await linkFamily(deps, principal, actor, overrides.elderPersonId, { userId: overrides.userId, consent: true });
}
