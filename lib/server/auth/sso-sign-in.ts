import "server-only";
import { randomBytes } from "node:crypto";
import { decideSsoAccount, type SsoCandidate } from "@/lib/domain/sso-account-decision";
import { ssoIdentityOf, type SsoIdentity } from "@/lib/domain/sso-claims";
import type { SsoErrorCode } from "@/lib/domain/sso-messages";
import { groupsOfClaim, rolesOfGroups } from "@/lib/domain/sso-role-map";
import type { Role } from "@/lib/domain/roles";
import { appendAuditEvent } from "../audit/append-audit-event";
import { inTransaction, type Tx } from "../db/transaction";
import { hashPassword } from "./password";
import { recordSignInFailure } from "./sign-in-failures";
import type { SsoConfig } from "./sso-config";

export type SsoSignInResult = { ok: true; userId: string; sessionVersion: number } | { ok: false; code: SsoErrorCode };

const candidate = { id: true, email: true, active: true, kind: true, oidcIssuer: true, oidcSubject: true, sessionVersion: true } as const;

/**
 * Signs in the user whose ID token the identity provider issued (already verified: signature,
 * issuer, audience, nonce, PKCE and state). Creates them on first sign-in, links an existing
 * account only as decideSsoAccount allows, and sets their roles from the groups claim at every
 * sign-in when a role map is configured. Success and refusal are audit events.
 */
export async function ssoSignIn(claims: Record<string, unknown>, config: SsoConfig, address: string): Promise<SsoSignInResult> {
  const parsed = ssoIdentityOf(claims);
  if (!parsed.ok) return refuse(null, `sso:${config.issuer}`, address, parsed.reason, "sso-invalid-identity");
  const identity = parsed.identity;
  // openid-client already checked the token's issuer against discovery; this pins it to the configured one.
  if (identity.issuer.replace(/\/+$/, "") !== config.issuer)
    return refuse(null, `sso:${config.issuer}`, address, `token issuer ${identity.issuer} is not ${config.issuer}`, "sso-invalid-identity");
  const roles = config.roleMap ? rolesOfGroups(groupsOfClaim(claims[config.roleClaim]), config.roleMap) : null;
  try {
    return await signIn(identity, roles, address);
  } catch (error) {
    // Two first sign-ins of one new user at once: the second meets the first's row; once more finds it.
    if ((error as { code?: string }).code !== "P2002") throw error;
    return signIn(identity, roles, address);
  }
}

async function signIn(identity: SsoIdentity, roles: Role[] | null, address: string): Promise<SsoSignInResult> {
  return inTransaction(async (tx) => {
    const bySubject = await tx.user.findUnique({
      where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
      select: candidate,
    });
    const byEmail = !bySubject && identity.email ? await tx.user.findUnique({ where: { email: identity.email }, select: candidate }) : null;
    const decision = decideSsoAccount(identity, bySubject as SsoCandidate | null, byEmail as SsoCandidate | null);
    const who = identity.email ?? `sso:${identity.subject}`;
    if (decision.kind === "refuse") {
      const account = bySubject ?? byEmail;
      await recordSignInFailure(tx, {
        actor: account ? { id: account.id, email: account.email } : null,
        email: who,
        address,
        reason: `SSO ${decision.refusal} (issuer ${identity.issuer}, subject ${identity.subject})`,
      });
      return { ok: false, code: `sso-${decision.refusal}` as SsoErrorCode };
    }
    const now = new Date();
    const user =
      decision.kind === "create"
        ? await tx.user.create({
            data: {
              email: identity.email!,
              name: identity.name,
              // A password nobody knows: an SSO user signs in through the provider (an admin may still set one).
              passwordHash: await hashPassword(randomBytes(32).toString("base64url")),
              oidcIssuer: identity.issuer,
              oidcSubject: identity.subject,
              ssoSignedInAt: now,
            },
            select: candidate,
          })
        : await tx.user.update({
            where: { id: decision.userId },
            data: {
              name: identity.name,
              oidcIssuer: identity.issuer,
              oidcSubject: identity.subject,
              ssoSignedInAt: now,
              updatedAt: now,
              ...(await emailChange(tx, decision.userId, identity.email)),
            },
            select: candidate,
          });
    const actor = { id: user.id, email: user.email };
    const roleChange = roles ? await setRoles(tx, user.id, roles) : null;
    if (decision.kind === "create") {
      await appendAuditEvent(tx, {
        actor,
        action: "user.created_by_sso",
        entityType: "user",
        entityId: user.id,
        after: { email: user.email, name: identity.name, issuer: identity.issuer, subject: identity.subject, roles: roles ?? [] },
        clientAddress: address,
      });
    } else if (roleChange && roleChange.before.join() !== roleChange.after.join()) {
      await appendAuditEvent(tx, {
        actor,
        action: "user.roles_synced_from_sso",
        entityType: "user",
        entityId: user.id,
        before: { roles: roleChange.before },
        after: { roles: roleChange.after },
        reason: "the identity provider's groups at sign-in",
        clientAddress: address,
      });
    }
    await appendAuditEvent(tx, {
      actor,
      action: "auth.signed_in",
      entityType: "session",
      after: { method: "sso", issuer: identity.issuer, subject: identity.subject, account: decision.kind },
      clientAddress: address,
    });
    return { ok: true, userId: user.id, sessionVersion: user.sessionVersion };
  });
}

/** The provider's new e-mail for the account, unless another account already has it (then the old one stays). */
async function emailChange(tx: Tx, userId: string, email: string | undefined): Promise<{ email?: string }> {
  if (!email) return {};
  const holder = await tx.user.findUnique({ where: { email }, select: { id: true } });
  return holder && holder.id !== userId ? {} : { email };
}

async function setRoles(tx: Tx, userId: string, roles: Role[]): Promise<{ before: Role[]; after: Role[] }> {
  const held = await tx.userRole.findMany({ where: { userId }, select: { role: true } });
  const before = held.map((r) => r.role).sort();
  await tx.userRole.deleteMany({ where: { userId, role: { notIn: roles } } });
  await tx.userRole.createMany({ data: roles.map((role) => ({ userId, role })), skipDuplicates: true });
  return { before, after: [...roles].sort() };
}

async function refuse(
  actor: { id: string; email: string } | null,
  who: string,
  address: string,
  reason: string,
  code: SsoErrorCode,
): Promise<SsoSignInResult> {
  await inTransaction((tx) => recordSignInFailure(tx, { actor, email: who, address, reason: `SSO: ${reason}` }));
  return { ok: false, code };
}

/** An SSO attempt that failed before the portal saw a verified identity (forged state, wrong nonce or issuer, provider error). */
export async function recordSsoFailure(issuer: string, address: string, reason: string): Promise<void> {
  await inTransaction((tx) => recordSignInFailure(tx, { actor: null, email: `sso:${issuer}`, address, reason: `SSO: ${reason}` }));
}
