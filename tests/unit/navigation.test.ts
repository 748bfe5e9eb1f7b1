import { describe, expect, it } from "vitest";
import { capabilitiesOf, can } from "@/lib/domain/capabilities";
import { NAV_ITEMS, navigationFor, navItem } from "@/lib/domain/navigation";
import { ROLES } from "@/lib/domain/roles";

const labels = (roles: Parameters<typeof navigationFor>[0]) => navigationFor(roles).map((i) => i.label);

describe("navigation by role", () => {
  it.each([
    ["requester", ["New change", "My changes", "Change calendar"]],
    ["change_manager", ["New change", "My changes", "All changes", "Change calendar", "Templates", "Delegation", "Metrics"]],
    ["cab_member", ["Change calendar", "CAB queue", "Delegation"]],
    ["security_reviewer", ["Change calendar", "Security review", "Delegation"]],
    ["implementer", ["Change calendar", "My work"]],
    ["auditor", ["All changes", "Change calendar", "Metrics", "Audit history", "Verify audit log", "Exception reports"]],
    [
      "admin",
      [
        "Change calendar",
        "Audit history",
        "Verify audit log",
        "Exception reports",
        "Users",
        "Single sign-on",
        "Service accounts",
        "Configuration items",
        "Templates",
        "Freeze windows",
        "Scan policy",
        "Deliveries",
        "Dev mailbox",
        "Delegations",
        "Reminders",
        "Webhooks",
      ],
    ],
  ] as const)("%s sees %j", (role, expected) => {
    expect(labels([role])).toEqual(expected);
  });

  it("gives a user with several roles the union, each page once", () => {
    expect(labels(["requester", "cab_member", "implementer"])).toEqual([
      "New change",
      "My changes",
      "Change calendar",
      "CAB queue",
      "My work",
      "Delegation",
    ]);
  });

  it("gives a user without roles only the pages everyone has", () => {
    expect(labels([])).toEqual(["Change calendar"]);
  });

  it("never makes an admin an approver by virtue of being admin", () => {
    expect(can(["admin"], "cab.vote")).toBe(false);
    expect(can(["admin"], "security.review")).toBe(false);
    expect([...capabilitiesOf(["admin"])].sort()).toEqual(["audit.read", "config.manage", "users.manage"]);
  });

  it("has one entry per address, each with a purpose", () => {
    expect(new Set(NAV_ITEMS.map((i) => i.href)).size).toBe(NAV_ITEMS.length);
    for (const item of NAV_ITEMS) expect(item.purpose.length).toBeGreaterThan(20);
    expect(() => navItem("/nowhere")).toThrow(/No navigation entry/);
  });

  it("knows every role", () => {
    expect(ROLES).toHaveLength(7);
  });
});
