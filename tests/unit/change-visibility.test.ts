import { describe, expect, it } from "vitest";
import { canViewChange, seesEveryChange } from "@/lib/domain/change-visibility";
import { ROLES, type Role } from "@/lib/domain/roles";

// Who sees which change (domain.md, roles), written here rather than read from capabilities.ts.
const SEES_EVERY_CHANGE: Record<Role, boolean> = {
  requester: false,
  change_manager: true,
  cab_member: true,
  security_reviewer: true,
  implementer: true,
  auditor: true,
  admin: false,
};

describe("change visibility", () => {
  it.each(ROLES)("%s: every change or only their own", (role) => {
    expect(seesEveryChange([role])).toBe(SEES_EVERY_CHANGE[role]);
    const change = { requesterId: "someone", implementerId: "someone else" };
    expect(canViewChange({ id: "viewer", roles: [role] }, change)).toBe(SEES_EVERY_CHANGE[role]);
  });

  it("a change's requester and implementer open it whatever their roles", () => {
    expect(canViewChange({ id: "me", roles: [] }, { requesterId: "me", implementerId: null })).toBe(true);
    expect(canViewChange({ id: "me", roles: ["admin"] }, { requesterId: "someone", implementerId: "me" })).toBe(true);
    expect(canViewChange({ id: "me", roles: ["requester", "admin"] }, { requesterId: "someone", implementerId: null })).toBe(false);
  });
});
