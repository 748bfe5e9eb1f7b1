import { z } from "zod";

// The identity provider's claims, as the portal believes them after the ID token was verified.
// Everything is still bounded: a hostile or broken provider must not write what a form could not.
const text = (max: number) => z.string().trim().min(1).max(max);
const noControl = /^[^\u0000-\u001f\u007f]*$/;

const claimsSchema = z.object({
  iss: text(2048),
  sub: text(255).regex(noControl),
  email: z.string().trim().toLowerCase().email().max(254).optional().catch(undefined),
  email_verified: z
    .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
    .optional()
    .catch(undefined),
  name: text(200).regex(noControl).optional().catch(undefined),
  preferred_username: text(200).regex(noControl).optional().catch(undefined),
});

export type SsoIdentity = { issuer: string; subject: string; email?: string; emailVerified: boolean; name: string };

export type SsoClaimsParse = { ok: true; identity: SsoIdentity } | { ok: false; reason: string };

export function ssoIdentityOf(claims: unknown): SsoClaimsParse {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return { ok: false, reason: "the identity provider's token has no usable issuer or subject" };
  const { iss, sub, email, email_verified, name, preferred_username } = parsed.data;
  return {
    ok: true,
    identity: {
      issuer: iss,
      subject: sub,
      email,
      emailVerified: email_verified === true,
      name: name ?? preferred_username ?? email ?? sub,
    },
  };
}
