// Farms for the agri tests: 冉鲜荣's household in group A1, whose member keeps its farm on the
// phone, and the county's people around it (each township's extension worker, village A's cadre);
// a farm camera registered and attached on the camera desk as a cadre does it.
import type { RegionRecord } from '../../src/modules/org/regions.repository.ts';
import type { Deps } from '../../src/platform/deps.ts';
import type { Session } from '../build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, type Tree } from '../factories.ts';
import { cameraInput } from './monitoring.ts';

/** A household in `region` with one member who signs in as a villager: the household and the member's phone. */
export async function buildFarmHousehold(
  deps: Deps,
  overrides: { region: RegionRecord; headName?: string },
): Promise<{ householdId: string; phone: string }> {
  const { region, headName } = overrides;
  const householdId = (await buildHousehold(deps, { region, headName })).id;
  const member = await buildPerson(deps, { region, householdId, name: headName });
  const { phone } = await buildUser(deps, { role: 'villager', region, personId: member.id, name: headName });
  return { householdId, phone };
}

export type Farm = {
  tree: Tree;
  /** 冉鲜荣's household in group A1. */
  householdId: string;
  phones: {
    /** 冉鲜荣, a member of the household. */
    member: string;
    /** 罗正平, township A's extension worker. */
    worker: string;
    /** Township B's extension worker. */
    workerB: string;
    /** Village A's cadre, who may read farms but not keep them. */
    cadre: string;
  };
};

/** A fresh tree with 冉鲜荣's farm household and the people who look after or read it (all sign in with PASSWORD). */
export async function buildFarm(deps: Deps): Promise<Farm> {
  const tree = await buildTree(deps);
  const { householdId, phone: member } = await buildFarmHousehold(deps, { region: tree.groupA1, headName: '冉鲜荣' });
  const worker = (await buildUser(deps, { role: 'extensionWorker', region: tree.townshipA, name: '罗正平' })).phone;
  const workerB = (await buildUser(deps, { role: 'extensionWorker', region: tree.townshipB })).phone;
  const cadre = (await buildUser(deps, { role: 'villageCadre', region: tree.villageA })).phone;
  return { tree, householdId, phones: { member, worker, workerB, cadre } };
}

/** A farm camera of 冉鲜荣's named `name`, registered by `cadre` in `regionId`: its id and push key. */
export async function registerFarmCamera(cadre: Session, regionId: string, name: string): Promise<{ id: string; pushKey: string }> {
  const made = await cadre.post(
    '/api/monitoring/cameras',
    cameraInput(regionId, { name, owner: '冉鲜荣', purpose: 'farm', publicSignRef: undefined, retentionDays: 90 }),
  );
  if (made.statusCode !== 201) throw new Error(`registering the farm camera failed: ${made.statusCode} ${made.body}`);
  const { camera, pushKey } = made.json() as { camera: { id: string }; pushKey: string };
  return { id: camera.id, pushKey };
}

/** Attaches the camera to the household's plot `label` on the camera desk: the answer. */
export const attachFarmCamera = (cadre: Session, cameraId: string, householdId: string, label: string) =>
  cadre.request({
    method: 'PUT',
    url: `/api/monitoring/cameras/${cameraId}/farm-subject`,
    payload: { householdId, kind: 'plot', label },
  });
