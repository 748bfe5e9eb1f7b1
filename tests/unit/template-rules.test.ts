import { describe, expect, it } from "vitest";
import type { Role } from "@/lib/domain/roles";
import {
  canTransition,
  decideApproval,
  decideNewVersion,
  decideRetire,
  isUsable,
  templateSchema,
  TEMPLATE_STATUSES,
  type TemplateStatus,
} from "@/lib/domain/template-rules";

const CI = "0b9f6c52-6a1e-4c55-9a59-0d3c8f1f2a10";
const valid = {
  title: "Rotate TLS certificate",
  description: "d",
  implementationPlan: "i",
  backoutPlan: "b",
  testPlan: "t",
  riskCeiling: "low",
  ciIds: [CI, CI],
};

describe("a template's fields", () => {
  it("accepts a valid template and names each CI once", () => {
    expect(templateSchema.parse(valid).ciIds).toEqual([CI]);
  });

  it.each([
    [{ title: "" }, "title", "Enter the title."],
    [{ backoutPlan: " " }, "backoutPlan", "Enter the backout plan."],
    [{ testPlan: "" }, "testPlan", "Enter the test plan."],
    [{ riskCeiling: "high" }, "riskCeiling", "A standard change allows at most medium risk; choose low or medium."],
    [{ riskCeiling: "critical" }, "riskCeiling", "A standard change allows at most medium risk; choose low or medium."],
    [{ ciIds: [] }, "ciIds", "Choose at least one configuration item the template may touch."],
    [{ ciIds: ["not-a-uuid"] }, "ciIds.0", "Unknown configuration item."],
  ])("refuses %j with a message on %s", (input, field, message) => {
    const parsed = templateSchema.safeParse({ ...valid, ...input });
    expect(parsed.success).toBe(false);
    expect(Object.fromEntries(parsed.error!.issues.map((i) => [i.path.join("."), i.message]))[field]).toBe(message);
  });
});

describe("the template lifecycle: proposed → approved → retired", () => {
  const allowed: [TemplateStatus, TemplateStatus][] = [
    ["proposed", "approved"],
    ["proposed", "retired"],
    ["approved", "retired"],
  ];
  it.each(TEMPLATE_STATUSES.flatMap((from) => TEMPLATE_STATUSES.map((to) => [from, to] as const)))("%s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.some(([a, b]) => a === from && b === to));
  });

  it.each([
    ["proposed", false],
    ["approved", true],
    ["retired", false],
  ] as const)("a %s version usable by changes: %s", (status, usable) => {
    expect(isUsable(status)).toBe(usable);
  });
});

describe("who may approve (segregation of duties)", () => {
  const proposer = "proposer";
  const proposed = { status: "proposed" as const, proposedById: proposer };
  it.each<[string, Role[], string, boolean, string?]>([
    ["another admin", ["admin"], "other", true],
    ["a change manager", ["change_manager"], "other", true],
    [
      "the proposing admin",
      ["admin"],
      proposer,
      false,
      "You proposed this version, so someone else must approve it (segregation of duties).",
    ],
    [
      "the proposer who is also change manager",
      ["admin", "change_manager"],
      proposer,
      false,
      "You proposed this version, so someone else must approve it (segregation of duties).",
    ],
    ["a requester", ["requester"], "other", false, "Only an admin or a change manager can approve templates."],
    ["a CAB member", ["cab_member"], "other", false, "Only an admin or a change manager can approve templates."],
    ["a security reviewer", ["security_reviewer"], "other", false, "Only an admin or a change manager can approve templates."],
    ["an auditor", ["auditor"], "other", false, "Only an admin or a change manager can approve templates."],
    ["nobody with no roles", [], "other", false, "Only an admin or a change manager can approve templates."],
  ])("%s", (_who, roles, id, expected, reason) => {
    const decision = decideApproval({ id, roles }, proposed);
    expect(decision.allowed).toBe(expected);
    if (!decision.allowed) expect(decision.reason).toBe(reason);
  });

  it.each([
    ["approved", "This version is already approved."],
    ["retired", "A retired template cannot be approved. Propose a new version instead."],
  ] as const)("not a version that is %s", (status, reason) => {
    expect(decideApproval({ id: "other", roles: ["admin"] }, { status, proposedById: proposer })).toEqual({ allowed: false, reason });
  });
});

describe("retiring and new versions", () => {
  it.each([
    ["proposed", true],
    ["approved", true],
    ["retired", false],
  ] as const)("retire a %s version: %s", (status, allowed) => {
    expect(decideRetire({ status }).allowed).toBe(allowed);
  });

  it.each([
    ["from the approved latest version", 2, { version: 2, status: "approved" }, null],
    ["from a retired latest version (bringing it back needs approval)", 3, { version: 3, status: "retired" }, null],
    [
      "while another version awaits approval",
      2,
      { version: 3, status: "proposed" },
      "Version 3 of this template is still awaiting approval. Approve or retire it before proposing another.",
    ],
    ["from an older version", 1, { version: 2, status: "approved" }, "Version 2 is newer than this one. Start from the latest version."],
  ] as const)("%s", (_name, base, latest, reason) => {
    const decision = decideNewVersion({ version: base }, latest);
    expect(decision.allowed ? null : decision.reason).toBe(reason);
  });
});
