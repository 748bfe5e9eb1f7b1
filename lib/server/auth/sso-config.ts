import "server-only";
import { parseSsoRoleMap, type SsoRoleMap } from "@/lib/domain/sso-role-map";
import { env } from "../env";

export type SsoConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  roleClaim: string;
  /** null: OIDC_ROLE_MAP unset, roles are managed in the portal. */
  roleMap: SsoRoleMap | null;
  scopes: string;
  displayName: string;
};

/** The SSO settings, or null when OIDC_ISSUER is unset. A half-made configuration is an error, not a silent "no SSO". */
export function ssoConfig(): SsoConfig | null {
  const e = env();
  if (!e.OIDC_ISSUER) return null;
  if (!e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) throw new Error("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too");
  const parsed = parseSsoRoleMap(e.OIDC_ROLE_MAP);
  if (!parsed.ok) throw new Error(parsed.message);
  return {
    issuer: e.OIDC_ISSUER.replace(/\/+$/, ""),
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    roleClaim: e.OIDC_ROLE_CLAIM,
    roleMap: e.OIDC_ROLE_MAP?.trim() ? parsed.map : null,
    scopes: e.OIDC_SCOPES,
    displayName: e.OIDC_DISPLAY_NAME,
  };
}

/** Password sign-in is on, or off for all but these addresses (lower-cased). */
export function passwordSignInPolicy(): { enabled: boolean; breakGlass: string[] } {
  const e = env();
  const breakGlass = e.BREAK_GLASS_ADMINS.split(",")
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  return { enabled: e.PASSWORD_SIGN_IN === "on", breakGlass };
}

/** ssoConfig for the sign-in paths: a broken SSO setting is logged (and shown on /admin/sso) but must not stop password sign-in. */
export function usableSsoConfig(): SsoConfig | null {
  try {
    return ssoConfig();
  } catch (error) {
    console.error("[sso] SSO is off:", (error as Error).message);
    return null;
  }
}
