import "server-only";
import type { GateChange, GateCi, GateFacts, GateRequest, GateSettings } from "@/lib/domain/deployment-gate";
import { SCAN_POLICY_ITEM } from "@/lib/domain/checklist";
import { fromStoredArtifact, toScanPolicyArtifact } from "@/lib/domain/release-artifacts";
import { waiverLapsed } from "@/lib/domain/waiver-expiry";
import { canViewChange, type ChangeViewer } from "@/lib/domain/change-visibility";
import type { Tx } from "../db/transaction";
import { loadScanPolicy } from "../settings/scan-policy";
import { toExceptionFacts } from "../schedule/load-schedule";

/** At most this many changes are weighed for one question: the named one, or the latest that approve a digest or name a CI. */
const MAX_CANDIDATES = 20;

const CHANGE_SELECT = {
  id: true,
  number: true,
  title: true,
  type: true,
  state: true,
  plannedStart: true,
  plannedEnd: true,
  requesterId: true,
  implementerId: true,
  cis: { select: { ciId: true } },
  artifacts: {
    select: {
      name: true,
      version: true,
      digest: true,
      sourceRepository: true,
      sourceCommit: true,
      sbomRef: true,
      provenanceRef: true,
      scanScanner: true,
      scannedAt: true,
      scanCritical: true,
      scanHigh: true,
      scanMedium: true,
      scanLow: true,
      scanKnownExploited: true,
    },
    orderBy: { name: "asc" },
  },
  freezeException: { select: { windowStart: true, windowEnd: true, managerApproverId: true, securityApproverId: true } },
  checklist: { where: { key: SCAN_POLICY_ITEM, status: "waived" }, select: { waiverExpiresAt: true } },
} as const;

/** What deciding a deployment looks at: the named CIs, the changes that could carry it, the freezes around now. */
export async function loadGateFacts(tx: Tx, viewer: ChangeViewer, request: GateRequest, settings: GateSettings): Promise<GateFacts> {
  const cis: GateCi[] = await tx.configurationItem.findMany({
    where: { name: { in: [...request.cis] } },
    select: { id: true, name: true, environment: true, criticality: true, tags: true },
  });
  const rows =
    request.changeNumber !== null
      ? await tx.changeRequest.findMany({ where: { number: request.changeNumber }, select: CHANGE_SELECT })
      : await candidateChanges(
          tx,
          request.digests,
          cis.map((c) => c.id),
        );
  // A change the caller may not open is as good as none: the answer would describe it.
  const candidates: GateChange[] = rows
    .filter((c) => canViewChange(viewer, c))
    .map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      type: c.type,
      state: c.state,
      plannedStart: c.plannedStart,
      plannedEnd: c.plannedEnd,
      ciIds: c.cis.map((x) => x.ciId),
      artifacts: c.artifacts.map((a) => toScanPolicyArtifact(fromStoredArtifact(a))),
      freezeException: toExceptionFacts(c.freezeException),
      scanPolicyWaived: c.checklist.some((i) => !waiverLapsed({ status: "waived", waiverExpiresAt: i.waiverExpiresAt }, request.at)),
    }));
  const until = new Date(request.at.getTime() + settings.holdSeconds * 1000);
  const freezes = (
    await tx.freezeWindow.findMany({
      where: { startsAt: { lte: until }, endsAt: { gt: request.at } },
      select: { id: true, startsAt: true, endsAt: true, reason: true, scope: true, environments: true, tags: true },
    })
  ).map(({ startsAt, endsAt, ...f }) => ({ ...f, start: startsAt, end: endsAt }));
  return { request, cis, candidates, freezes, scanPolicy: await loadScanPolicy(tx), settings };
}

/**
 * The latest changes that approve one of the digests ($1) or are open on one of the CIs ($2), by
 * id. Each half goes through its own index: as one OR over the relations PostgreSQL read every change.
 */
export const GATE_CANDIDATES_SQL = `SELECT id FROM (
    SELECT c.id, c.updated_at FROM release_artifacts ra JOIN change_requests c ON c.id = ra.change_id
     WHERE ra.digest = ANY($1::text[])
    UNION
    SELECT c.id, c.updated_at FROM change_cis cc JOIN change_requests c ON c.id = cc.change_id
     WHERE cc.ci_id = ANY($2::uuid[]) AND c.state IN ('scheduled', 'implementing')
  ) candidates
  ORDER BY updated_at DESC
  LIMIT $3`;

async function candidateChanges(tx: Tx, digests: readonly string[], ciIds: readonly string[]) {
  const ids = await tx.$queryRawUnsafe<{ id: string }[]>(GATE_CANDIDATES_SQL, [...digests], [...ciIds], MAX_CANDIDATES);
  if (ids.length === 0) return [];
  return tx.changeRequest.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    orderBy: { updatedAt: "desc" },
    select: CHANGE_SELECT,
  });
}
