import { isRole, type Role } from "./roles";

/** Which portal roles each identity-provider group gives: `OIDC_ROLE_MAP="portal-admins=admin;cab=cab_member,requester"`. */
export type SsoRoleMap = ReadonlyMap<string, readonly Role[]>;

export type RoleMapParse = { ok: true; map: SsoRoleMap } | { ok: false; message: string };

export function parseSsoRoleMap(text: string | undefined): RoleMapParse {
  const map = new Map<string, Role[]>();
  for (const entry of (text ?? "").split(";")) {
    if (!entry.trim()) continue;
    const at = entry.lastIndexOf("=");
    const group = entry.slice(0, at).trim();
    const roles = entry
      .slice(at + 1)
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    if (at <= 0 || !group || roles.length === 0) return { ok: false, message: `OIDC_ROLE_MAP: "${entry.trim()}" is not group=role[,role]` };
    const unknown = roles.find((r) => !isRole(r));
    if (unknown) return { ok: false, message: `OIDC_ROLE_MAP: "${unknown}" is not a role (one of requester, change_manager, …, admin)` };
    map.set(group, [...new Set([...(map.get(group) ?? []), ...(roles as Role[])])]);
  }
  return { ok: true, map };
}

/** The groups a claim names: an array of strings, or one string (some providers send a single group so). */
export function groupsOfClaim(value: unknown): string[] {
  if (typeof value === "string") return value.trim() ? [value.trim()] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((g): g is string => typeof g === "string" && g.length > 0 && g.length <= 256).slice(0, 1000);
}

/** The roles the groups give through the map, in the roles' own order; groups the map does not name give nothing. */
export function rolesOfGroups(groups: readonly string[], map: SsoRoleMap): Role[] {
  const roles = new Set(groups.flatMap((g) => map.get(g) ?? []));
  return [...roles].sort();
}
