import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { fieldErrorsOf, ok, refuse, refuseAs, type Result } from "@/lib/domain/result";
import {
  decisionRefusal,
  effectiveGrantStatus,
  grantRequestExpiry,
  roleGrantDecisionSchema,
  roleGrantRequestSchema,
  ROLE_GRANT_STATUS_LABELS,
} from "@/lib/domain/role-grants";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { mayServiceAccountHold, SERVICE_ACCOUNT_ROLE_REFUSAL } from "@/lib/domain/service-accounts";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { env } from "../env";
import { inTransaction, type Tx } from "../db/transaction";
import { refuseUnlessAdmin } from "./admin-guard";
import { notifyRoleGrantDecided, notifyRoleGrantRequested } from "./notify-role-grants";

// A privileged role is asked for by one admin and approved or refused by a second; the request,
// the decision and the grant are each one transaction with their audit event.

const NOT_UNDERSTOOD = "That request was not understood.";
const GONE = "That request no longer exists.";

type Grantee = { name: string; active: boolean; kind: "user" | "service_account"; roles: { role: string }[] };

/** Why this user cannot be given this role now, or null. */
function granteeRefusal(user: Grantee, role: keyof typeof ROLE_LABELS): string | null {
  if (!user.active) return `${user.name} is deactivated. Reactivate the account first if they still need ${ROLE_LABELS[role]}.`;
  if (user.kind === "service_account" && !mayServiceAccountHold(role)) return SERVICE_ACCOUNT_ROLE_REFUSAL;
  if (user.roles.some((r) => r.role === role)) return `${user.name} already holds ${ROLE_LABELS[role]}.`;
  return null;
}

const granteeSelect = { name: true, active: true, kind: true, roles: { select: { role: true } } } as const;

/** Asks for a privileged role for someone else; other admins are told. */
export async function requestRoleGrant(actor: Actor | null, input: unknown): Promise<Result<{ id: string; message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.role_requests");
  if (refused) return refused;
  const parsed = safeParseInput(roleGrantRequestSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { userId, role, reason } = parsed.data;
  if (userId === actor!.id) return refuse("You cannot request a role for yourself. Ask another admin.");

  try {
    return await inTransaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId }, select: granteeSelect });
      if (!user) return refuseAs("not_found", "That user no longer exists.");
      const why = granteeRefusal(user, role);
      if (why) return refuse(why);
      const created = await openRoleGrantRequest(tx, actor!, { userId, userName: user.name, role, reason });
      return ok({ id: created.id, message: `Requested ${ROLE_LABELS[role]} for ${user.name}. A second admin must approve it.` });
    });
  } catch (error) {
    // Two admins asking for the same role at once: the partial unique index decides.
    if ((error as { code?: string }).code === "P2002")
      return refuse(`${ROLE_LABELS[role]} is already requested for this user; approve or refuse that request.`);
    throw error;
  }
}

/** Writes one pending request with its audit event and tells the other admins; the caller checked the grantee. */
export async function openRoleGrantRequest(
  tx: Tx,
  actor: Actor,
  r: { userId: string; userName: string; role: Role; reason: string },
): Promise<{ id: string }> {
  const now = new Date();
  // A request left to lapse no longer blocks asking again.
  await tx.roleGrantRequest.updateMany({
    where: { userId: r.userId, role: r.role, status: "pending", expiresAt: { lte: now } },
    data: { status: "expired" },
  });
  const created = await tx.roleGrantRequest.create({
    data: {
      userId: r.userId,
      role: r.role,
      reason: r.reason,
      requestedById: actor.id,
      requestedAt: now,
      expiresAt: grantRequestExpiry(now, env().ROLE_GRANT_REQUEST_DAYS),
    },
    select: { id: true, expiresAt: true },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "role_grant.requested",
    entityType: "user",
    entityId: r.userId,
    after: { requestId: created.id, role: r.role, expiresAt: created.expiresAt.toISOString() },
    reason: r.reason,
  });
  await notifyRoleGrantRequested(tx, {
    requesterId: actor.id,
    requesterName: actor.name,
    userId: r.userId,
    userName: r.userName,
    role: r.role,
  });
  return { id: created.id };
}

type Pending = {
  id: string;
  userId: string;
  role: keyof typeof ROLE_LABELS;
  requestedById: string;
  status: keyof typeof ROLE_GRANT_STATUS_LABELS;
  expiresAt: Date;
};

async function pendingRequest(tx: Tx, requestId: string, now: Date): Promise<Result<Pending>> {
  // The row lock queues a second decider behind the first, who then finds it decided.
  const [row] = await tx.$queryRaw<Pending[]>`
    SELECT id, user_id AS "userId", role::text AS role, requested_by_id AS "requestedById", status::text AS status, expires_at AS "expiresAt"
    FROM role_grant_requests WHERE id = ${requestId}::uuid FOR UPDATE`;
  if (!row) return refuseAs("not_found", GONE);
  const status = effectiveGrantStatus(row, now);
  if (status === "expired") return refuseAs("conflict", "This request has expired. Request the role again if it is still needed.");
  if (status !== "pending")
    return refuseAs("conflict", `This request was already decided: ${ROLE_GRANT_STATUS_LABELS[status].toLowerCase()}.`);
  return ok(row);
}

/** A second admin approves: the role is granted in the same transaction as the audit event. */
export async function approveRoleGrant(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.role_requests");
  if (refused) return refused;
  const parsed = safeParseInput(roleGrantDecisionSchema, input);
  if (!parsed.success) return refuse(NOT_UNDERSTOOD, fieldErrorsOf(parsed.error.issues));
  const { requestId, reason } = parsed.data;

  return inTransaction(async (tx) => {
    const now = new Date();
    const found = await pendingRequest(tx, requestId, now);
    if (!found.ok) return found;
    const request = found.value;
    const notYours = decisionRefusal(actor!.id, request, "approve");
    if (notYours) return refuse(notYours);
    const user = await tx.user.findUniqueOrThrow({ where: { id: request.userId }, select: granteeSelect });
    const why = granteeRefusal(user, request.role);
    if (why) return refuse(`${why} Refuse this request instead.`);
    await tx.roleGrantRequest.update({
      where: { id: request.id },
      data: { status: "approved", decidedById: actor!.id, decidedAt: now, decisionReason: reason || null },
    });
    await tx.userRole.create({
      data: { userId: request.userId, role: request.role, grantedById: actor!.id, grantedAt: now, grantRequestId: request.id },
    });
    const before = user.roles.map((r) => r.role).sort();
    await appendAuditEvent(tx, {
      actor,
      action: "role_grant.approved",
      entityType: "user",
      entityId: request.userId,
      before: { roles: before },
      after: { roles: [...before, request.role].sort(), requestId: request.id, requestedById: request.requestedById },
      reason: reason || null,
    });
    await notifyRoleGrantDecided(tx, {
      requesterId: request.requestedById,
      deciderName: actor!.name,
      userName: user.name,
      role: request.role,
      approved: true,
    });
    return ok({ message: `${user.name} is now ${ROLE_LABELS[request.role]}.` });
  });
}

/** A second admin refuses, saying why; the reason is kept on the request and in the audit event. */
export async function refuseRoleGrant(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.role_requests");
  if (refused) return refused;
  const parsed = safeParseInput(roleGrantDecisionSchema, input);
  if (!parsed.success) return refuse(NOT_UNDERSTOOD, fieldErrorsOf(parsed.error.issues));
  const { requestId, reason } = parsed.data;
  if (!reason) return refuse("Say why you refuse it.", { reason: "Say why you refuse it." });

  return inTransaction(async (tx) => {
    const now = new Date();
    const found = await pendingRequest(tx, requestId, now);
    if (!found.ok) return found;
    const request = found.value;
    const notYours = decisionRefusal(actor!.id, request, "refuse");
    if (notYours) return refuse(notYours);
    await tx.roleGrantRequest.update({
      where: { id: request.id },
      data: { status: "refused", decidedById: actor!.id, decidedAt: now, decisionReason: reason },
    });
    const user = await tx.user.findUniqueOrThrow({ where: { id: request.userId }, select: { name: true } });
    await appendAuditEvent(tx, {
      actor,
      action: "role_grant.refused",
      entityType: "user",
      entityId: request.userId,
      after: { requestId: request.id, role: request.role, requestedById: request.requestedById },
      reason,
    });
    await notifyRoleGrantDecided(tx, {
      requesterId: request.requestedById,
      deciderName: actor!.name,
      userName: user.name,
      role: request.role,
      approved: false,
      reason,
    });
    return ok({ message: `Refused ${ROLE_LABELS[request.role]} for ${user.name}.` });
  });
}

/** The admin who asked takes the request back before anyone decides it. */
export async function withdrawRoleGrant(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.role_requests");
  if (refused) return refused;
  const parsed = safeParseInput(roleGrantDecisionSchema, input);
  if (!parsed.success) return refuse(NOT_UNDERSTOOD, fieldErrorsOf(parsed.error.issues));
  const { requestId } = parsed.data;

  return inTransaction(async (tx) => {
    const found = await pendingRequest(tx, requestId, new Date());
    if (!found.ok) return found;
    const request = found.value;
    if (request.requestedById !== actor!.id) return refuse("Only the admin who asked can withdraw a request; refuse it instead.");
    await tx.roleGrantRequest.update({
      where: { id: request.id },
      data: { status: "withdrawn", decidedById: actor!.id, decidedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "role_grant.withdrawn",
      entityType: "user",
      entityId: request.userId,
      after: { requestId: request.id, role: request.role },
    });
    return ok({ message: `Withdrew the request for ${ROLE_LABELS[request.role]}.` });
  });
}
