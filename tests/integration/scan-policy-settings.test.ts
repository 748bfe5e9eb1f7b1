import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCAN_POLICY } from "@/lib/domain/scan-policy";
import { scanPolicyFormValues } from "@/lib/domain/scan-policy-form";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { loadScanPolicy, SCAN_POLICY_SETTING } from "@/lib/server/settings/scan-policy";
import { saveScanPolicy } from "@/lib/server/settings/save-scan-policy";
import { createTestUser, testDb } from "../support/fixtures";

// The admin's scan policy form: admins only, every bad value answered in words on its field, and
// every change an audit event with before and after.

type U = Awaited<ReturnType<typeof createTestUser>>;
let admin: U, security: U;

beforeAll(async () => {
  admin = await createTestUser({ roles: ["admin"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
});

const row = (over: Record<string, unknown> = {}) => ({
  environment: "production",
  minCriticality: "1",
  maxCritical: "0",
  maxHigh: "",
  maxMedium: "",
  maxLow: "",
  maxKnownExploited: "0",
  requireScan: true,
  ...over,
});
const blank = row({ environment: "", maxCritical: "" });

describe("saving the scan policy", () => {
  it("refuses anyone but an admin, and records the denial", async () => {
    const result = await saveScanPolicy(security.actor, { rules: [row({ maxCritical: "9" })] });
    expect(result).toEqual({ ok: false, message: "Only an admin changes the scan policy." });
    expect(await testDb().appSetting.findUnique({ where: { key: SCAN_POLICY_SETTING } })).toBeNull();
    const denied = await testDb().auditEvent.findFirst({
      where: { actorId: security.id, action: "authorization.denied", entityId: "settings.scan_policy" },
    });
    expect(denied).not.toBeNull();
  });

  it("answers bad values with a message on the field of their row, and saves nothing", async () => {
    const refused = await saveScanPolicy(admin.actor, {
      rules: [
        row(),
        row({ environment: "staging", maxHigh: "-1", minCriticality: "7", maxKnownExploited: "two" }),
        row({ environment: "x".repeat(61) }),
        blank,
      ],
    });
    expect(refused).toMatchObject({
      ok: false,
      message: "Check the highlighted fields.",
      fieldErrors: {
        "rules.1.maxHigh": "Give a whole number of findings, or leave it blank for no limit.",
        "rules.1.minCriticality": "Criticality runs from 1 to 4.",
        "rules.1.maxKnownExploited": "Give a whole number of findings, or leave it blank for no limit.",
        "rules.2.environment": "An environment name is at most 60 characters.",
      },
    });
    expect(await saveScanPolicy(admin.actor, { rules: [blank, blank] })).toEqual({
      ok: false,
      message: "Keep at least one rule: a policy without rules lets every finding through.",
      fieldErrors: { form: "Keep at least one rule: a policy without rules lets every finding through." },
    });
    for (const hostile of [null, "rules", { rules: "x" }, { rules: [{ environment: 5 }] }, { rules: Array(51).fill(row()) }])
      expect(await saveScanPolicy(admin.actor, hostile)).toMatchObject({ ok: false });
    expect(await loadScanPolicy()).toBe(DEFAULT_SCAN_POLICY);
  });

  it("saves an admin's rules, drops blank rows, audits before and after, and the form shows them back", async () => {
    const saved = await saveScanPolicy(admin.actor, {
      rules: [
        row({ maxHigh: "3" }),
        blank,
        row({ environment: " Staging ", minCriticality: "3", maxCritical: "", maxKnownExploited: "", requireScan: false }),
      ],
    });
    expect(saved).toMatchObject({ ok: true });
    const policy = await loadScanPolicy();
    expect(policy.rules).toEqual([
      { ...DEFAULT_SCAN_POLICY.rules[0], maxHigh: 3 },
      {
        environment: "staging",
        minCriticality: 3,
        maxCritical: null,
        maxHigh: null,
        maxMedium: null,
        maxLow: null,
        maxKnownExploited: null,
        requireScan: false,
      },
    ]);
    const [event] = (await readAuditEvents({ limit: 1000 })).filter((e) => e.action === "settings.scan_policy_changed");
    expect(event).toMatchObject({
      actorId: admin.id,
      entityType: "settings",
      entityId: SCAN_POLICY_SETTING,
      before: DEFAULT_SCAN_POLICY,
      after: policy,
    });
    expect(scanPolicyFormValues(policy)).toMatchObject({
      "rules.0.maxHigh": "3",
      "rules.1.environment": "staging",
      "rules.1.maxKnownExploited": "",
      "rules.1.requireScan": [],
      "rules.2.environment": "",
      "rules.3.environment": "",
    });
    // Saving the same again is no change and no event.
    expect(
      await saveScanPolicy(admin.actor, {
        rules: [
          row({ maxHigh: "3" }),
          row({ environment: "staging", minCriticality: "3", maxCritical: "", maxKnownExploited: "", requireScan: false }),
        ],
      }),
    ).toEqual({
      ok: true,
      value: { message: "The scan policy is unchanged." },
    });
    expect((await readAuditEvents({ limit: 1000 })).filter((e) => e.action === "settings.scan_policy_changed")).toHaveLength(1);
  });

  it("shows a stored known-exploited limit as it is, and an untouched form saves it back unchanged", async () => {
    const stored = {
      rules: [{ ...DEFAULT_SCAN_POLICY.rules[0]!, environment: "staging", maxKnownExploited: 2 }, DEFAULT_SCAN_POLICY.rules[0]!],
    };
    await testDb().appSetting.upsert({
      where: { key: SCAN_POLICY_SETTING },
      create: { key: SCAN_POLICY_SETTING, value: stored },
      update: { value: stored },
    });
    const values = scanPolicyFormValues(await loadScanPolicy());
    expect(values).toMatchObject({ "rules.0.maxKnownExploited": "2", "rules.1.maxKnownExploited": "0" });
    // The form posts its fields as they stand: text as text, a ticked box as true.
    const posted = [0, 1, 2, 3].map((i) =>
      Object.fromEntries(
        Object.entries(values)
          .filter(([k]) => k.startsWith(`rules.${i}.`))
          .map(([k, v]) => [k.slice(`rules.${i}.`.length), Array.isArray(v) ? v.length > 0 : v]),
      ),
    );
    expect(await saveScanPolicy(admin.actor, { rules: posted })).toEqual({ ok: true, value: { message: "The scan policy is unchanged." } });
    expect(await loadScanPolicy()).toEqual(stored);
  });
});
