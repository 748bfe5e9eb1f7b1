import type { SsoIdentity } from "./sso-claims";

/** What an account looks like to the SSO sign-in: found by the provider's subject, or by e-mail. */
export type SsoCandidate = {
  id: string;
  active: boolean;
  kind: "user" | "service";
  oidcIssuer: string | null;
  oidcSubject: string | null;
};

export type SsoRefusal = "deactivated" | "service-account" | "no-email" | "email-unverified" | "linked-elsewhere";

export type SsoAccountDecision =
  { kind: "update"; userId: string } | { kind: "link"; userId: string } | { kind: "create" } | { kind: "refuse"; refusal: SsoRefusal };

/**
 * Which account an SSO sign-in is. The provider's issuer and subject decide once linked, so a
 * changed e-mail does not make a second account. An existing account with the same e-mail is
 * linked only when the provider says it verified that address, and never when the account is
 * already linked to another identity. A deactivated account stays refused whatever the provider says.
 */
export function decideSsoAccount(identity: SsoIdentity, bySubject: SsoCandidate | null, byEmail: SsoCandidate | null): SsoAccountDecision {
  const usable = (account: SsoCandidate): SsoRefusal | null =>
    !account.active ? "deactivated" : account.kind !== "user" ? "service-account" : null;
  if (bySubject) {
    const refusal = usable(bySubject);
    return refusal ? { kind: "refuse", refusal } : { kind: "update", userId: bySubject.id };
  }
  if (!identity.email) return { kind: "refuse", refusal: "no-email" };
  if (!byEmail) return { kind: "create" };
  if (byEmail.oidcSubject !== null) return { kind: "refuse", refusal: "linked-elsewhere" };
  const refusal = usable(byEmail);
  if (refusal) return { kind: "refuse", refusal };
  if (!identity.emailVerified) return { kind: "refuse", refusal: "email-unverified" };
  return { kind: "link", userId: byEmail.id };
}
