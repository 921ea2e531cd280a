// Builds the evidence package of an approved request with the county's signing key
// (evidence/evidence-package.ts): exactly the pictures the approval held, checked against the
// SHA-256 recorded when each was taken in, the event log and the manifest fields (who asked, who
// approved, when, why). A package of a few pictures is built when the cadre approves; a larger one
// by the job, off the request's path. Pictures are copied one at a time out of the file store into
// a working folder, so memory holds one picture whatever the package's size.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ROLE_LABELS, type Role } from '@cunzhi/contracts/roles';
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { processCache } from '../../platform/process-cache.ts';
import { findRegion } from '../org/regions.service.ts';
import { type CountySigningKey, loadCountySigningKey, type PublishedCountyKey, publishedCountyKey } from './evidence/county-signing-key.ts';
import { buildEvidencePackage, type EvidenceImage } from './evidence/evidence-package.ts';
import * as repo from './monitoring-evidence.repository.ts';

/** Approvals of up to this many pictures get their package at once; larger ones wait for the job. */
export const INLINE_PACKAGE_IMAGES = 60;
const PACKAGE_DIR = 'evidence-packages';
const PACKAGE_FILE = /^[0-9a-f-]{36}-[0-9a-f-]{36}\.zip$/;
const PLATFORM = '村治 Cunzhi';

const packagesDir = (deps: Deps) => path.join(deps.config.dataDir, PACKAGE_DIR);

/**
 * The county's key, read once per process: from configuration when it names one (EVIDENCE_SIGNING_KEY), else the key file the evidence module keeps in the data directory.
 */
export function evidenceSigningKey(deps: Deps): CountySigningKey {
  return processCache(deps, 'monitoring.evidenceSigningKey', () =>
    loadCountySigningKey({
      fromConfig: deps.config.evidenceSigningKey,
      dataDir: deps.config.dataDir,
    }),
  );
}

/** The county's public key and fingerprint, for anyone to check who signed a package (no secret in it). */
export function publishedEvidenceKey(deps: Deps): PublishedCountyKey {
  return publishedCountyKey(evidenceSigningKey(deps));
}

/** Requests whose package is being built in this process: the approval's build and the job's never race. */
const building = (deps: Deps) => processCache(deps, 'monitoring.evidenceBuilding', () => new Set<string>());

/** The job: builds the packages approvals left waiting (large ones, or after a restart). */
export async function buildPendingPackages(deps: Deps): Promise<number> {
  let built = 0;
  for (const id of await repo.pendingPackages(deps.db, 5)) if (await buildRequestPackage(deps, id)) built++;
  return built;
}

const roleWords = (role: string | null) => {
  const label = role ? ROLE_LABELS[role as Role] : undefined;
  return label ? `${label.zh} / ${label.en}` : undefined;
};
/** Line breaks a person typed become spaces: the manifest's fields are one line each. */
const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ');

/** Builds the request's package if it is still pending; true when this call built it. */
export async function buildRequestPackage(deps: Deps, id: string): Promise<boolean> {
  const inFlight = building(deps);
  if (inFlight.has(id)) return false;
  inFlight.add(id);
  try {
    const request = await repo.findRequest(deps.db, id);
    if (request?.status !== 'approved' || request.package?.state !== 'pending') return false;
    return await build(deps, request);
  } finally {
    inFlight.delete(id);
  }
}

async function build(deps: Deps, request: repo.EvidenceRequestRecord): Promise<boolean> {
  const dir = packagesDir(deps);
  const work = path.join(dir, `.work-${request.id}-${uuidv7()}`);
  const fileName = `${request.id}-${uuidv7()}.zip`;
  const outFile = path.join(dir, fileName);
  await fs.mkdir(work, { recursive: true, mode: 0o700 });
  try {
    const held = await repo.heldSnapshots(deps.db, request.id);
    const files: EvidenceImage[] = [];
    // When each picture reached the platform and how, beside the time the camera stamped on it: a
    // capture time is the camera's word, the receipt the platform's own.
    const received: { at: Date; type: string; detail: Record<string, string> }[] = [];
    for (const [i, snapshot] of held.entries()) {
      const image = await deps.files.get(snapshot.fileKey);
      // A picture gone or changed since it was taken in is not handed over as if it were intact.
      if (!image || createHash('sha256').update(image).digest('hex') !== snapshot.sha256) {
        return await failed(deps, request, image ? 'picture_altered' : 'picture_missing', snapshot.id);
      }
      const name = `${String(i + 1).padStart(5, '0')}-${snapshot.id}.jpg`;
      await fs.writeFile(path.join(work, name), image, { mode: 0o600 });
      files.push({ path: `images/${name}`, sourceFile: path.join(work, name), capturedAt: new Date(snapshot.capturedAt) });
      received.push({
        at: new Date(snapshot.receivedAt),
        type: 'snapshot.received',
        detail: { file: `images/${name}`, source: snapshot.source },
      });
    }
    const camera = await repo.findEvidenceCamera(deps.db, request.cameraId);
    const region = await findRegion(deps, request.placement.regionId);
    const county = request.placement.countyId ? await findRegion(deps, request.placement.countyId) : undefined;
    const decidedAt = request.decidedAt ?? deps.now();
    const built = await buildEvidencePackage({
      outFile,
      files,
      events: [...received, { at: new Date(decidedAt), type: 'evidence.held', detail: { pictures: held.length } }],
      manifestFields: {
        packageId: request.id,
        caseNumber: request.caseNumber,
        camera: { id: request.cameraId, name: camera?.name ?? request.cameraId },
        region: { id: request.placement.regionId, name: region?.name ?? request.placement.regionId, ...(region && { code: region.code }) },
        timeRange: { from: new Date(request.from), to: new Date(request.to) },
        request: {
          by: { userId: request.requestedBy, name: request.requestedByName, role: roleWords('policeLiaison') },
          at: new Date(request.requestedAt),
          reason: oneLine(request.reason),
        },
        approval: {
          by: { userId: request.decidedBy ?? '', name: request.decidedByName ?? '', role: roleWords(request.decidedByRole) },
          at: new Date(decidedAt),
          reason: oneLine(request.decisionReason ?? ''),
        },
        issuer: { platform: PLATFORM, county: county?.name ?? PLATFORM },
      },
      signingKey: evidenceSigningKey(deps),
      now: new Date(deps.now()),
    });
    const now = deps.now();
    const pkg = {
      state: 'ready' as const,
      file: fileName,
      bytes: built.bytes,
      sha256: await fileSha256(outFile),
      manifestSha256: built.manifestSha256,
      packagedAt: now,
    };
    await deps.db.transaction().execute(async (trx) => {
      await repo.setPackage(trx, request.id, pkg, now);
      await recordAudit(
        trx,
        SYSTEM_ACTOR,
        {
          action: 'monitoring.evidence.package',
          targetType: 'evidenceRequest',
          targetId: request.id,
          regionId: request.placement.regionId,
          details: { pictures: held.length, bytes: built.bytes, packageSha256: pkg.sha256, manifestSha256: pkg.manifestSha256 },
        },
        now,
      );
    });
    return true;
  } catch (error) {
    await fs.rm(outFile, { force: true });
    throw error;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function failed(deps: Deps, request: repo.EvidenceRequestRecord, reason: string, snapshotId: string): Promise<boolean> {
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await repo.setPackage(
      trx,
      request.id,
      { state: 'failed', file: null, bytes: null, sha256: null, manifestSha256: null, packagedAt: null },
      now,
    );
    await recordAudit(
      trx,
      SYSTEM_ACTOR,
      {
        action: 'monitoring.evidence.package',
        outcome: 'denied',
        targetType: 'evidenceRequest',
        targetId: request.id,
        regionId: request.placement.regionId,
        details: { reason, snapshotId },
      },
      now,
    );
  });
  return false;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The stored package named by a request, if it is there. */
export async function openPackage(deps: Deps, fileName: string): Promise<{ file: string; bytes: number } | undefined> {
  if (!PACKAGE_FILE.test(fileName)) return undefined;
  const file = path.join(packagesDir(deps), fileName);
  try {
    const stat = await fs.stat(file);
    return stat.isFile() ? { file, bytes: stat.size } : undefined;
  } catch {
    return undefined;
  }
}
