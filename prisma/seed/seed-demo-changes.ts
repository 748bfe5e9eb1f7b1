// The demo: four months of back-dated history (demo-history.ts), then today's story, changes of
// every type in every state made through the same use cases the pages call.
import { requiredApprovals } from "../../lib/domain/approval-policy";
import { blankDraftInput } from "../../lib/domain/change-input";
import type { Result } from "../../lib/domain/result";
import { loadActor, type Actor } from "../../lib/server/auth/current-actor";
import { assignImplementer } from "../../lib/server/changes/assign-implementer";
import { castVote } from "../../lib/server/changes/cast-vote";
import { performChangeAction } from "../../lib/server/changes/perform-change-action";
import { createChangeDraft, updateChangeDraft } from "../../lib/server/changes/save-change-draft";
import { changeDraftFields } from "../../lib/server/changes/change-form-values";
import { changeFormInitial } from "../../lib/server/changes/change-form-initial";
import { getChangeForViewer } from "../../lib/server/changes/get-change";
import { signOffItem, waiveItem } from "../../lib/server/changes/sign-off-item";
import { currentSigningKey } from "../../lib/server/audit/key-history";
import { db } from "../../lib/server/db/db";
import { pgPool } from "../../lib/server/db/pg-pool";
import { env } from "../../lib/server/env";
import { addMaintenanceWindow } from "../../lib/server/schedule/maintenance-windows";
import { createFreeze } from "../../lib/server/schedule/save-freeze";
import { DEMO_FREEZE_DAY, DEMO_FREEZE_REASON } from "./demo-schedule";
import { writeDemoHistory, type DemoHistory } from "./demo-history";
import { seedDemoReminders } from "./demo-reminders";

function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`Demo seed: ${what} was refused: ${result.message} ${JSON.stringify(result.fieldErrors ?? {})}`);
  return result.value;
}

type Cast = Record<"requester" | "manager" | "cab" | "security" | "implementer" | "admin" | "lead", Actor>;

export async function seedDemoChanges(): Promise<number> {
  if ((await db().changeRequest.count()) > 0) return 0;
  const cast = Object.fromEntries(
    await Promise.all(
      (["requester", "manager", "cab", "security", "implementer", "admin", "lead"] as const).map(async (who) => {
        const user = await db().user.findUniqueOrThrow({ where: { email: `${who}@demo.local` }, select: { id: true } });
        return [who, (await loadActor(user.id))!];
      }),
    ),
  ) as Cast;

  // First the past (back-dated, written like the bench data), then today's story through the use cases.
  const history = await seedDemoHistory();
  const ci = history.ciIds;
  // Weekly slots (UTC) in which the critical production systems may be changed.
  for (const [name, weekday, start, hours] of [
    ["payments-db", 6, "22:00", 4],
    ["payments-db", 2, "21:00", 3],
    ["edge-proxy", 0, "02:00", 3],
    ["auth-service", 3, "20:00", 4],
  ] as const) {
    must(await addMaintenanceWindow(cast.admin, { ciId: ci[name], weekday, start, hours }), `maintenance window of ${name}`);
  }
  // A production freeze two weeks out, after the demo's scheduled changes, so the calendar shades it.
  const freezeStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + DEMO_FREEZE_DAY));
  must(
    await createFreeze(cast.admin, {
      startsAt: freezeStart.toISOString(),
      endsAt: new Date(freezeStart.getTime() + 3 * 24 * 3_600_000).toISOString(),
      reason: DEMO_FREEZE_REASON,
      scope: "environments",
      environments: "production",
      tags: "",
    }),
    "freeze window",
  );

  const template = { id: history.templateIds["Rotate the staging web certificate"]! };

  const story = new DemoStory(cast);
  let day = 1;
  const normal = (title: string, cis: string[], extra: Record<string, unknown> = {}) =>
    story.draft(
      title,
      cis.map((n) => ci[n]!),
      day++,
      extra,
    );

  await normal("Upgrade the reporting database driver", ["reporting"], { description: "" }); // draft, incomplete
  await story.submit(await normal("Add an index for the monthly report", ["reporting"]));
  await story.toAssessment(
    await normal(
      "Tune the log pipeline batch size",
      ["log-pipeline"],
      release("log-shipper", "4.1.0", "4.0.2", "1", { critical: 1, high: 3 }),
    ),
  );
  const awaitingVotes = await story.toAuthorization(
    await normal("Enable HTTP/3 on the edge proxy", ["edge-proxy"], {
      newExternalInterface: true,
      ...release("edge-proxy", "2.8.0", "2.7.4", "2", { critical: 0, high: 2, knownExploited: 1 }),
    }),
  );
  await story.vote(awaitingVotes, "cab", "cab_member", "approve", "Tested on staging last week.");
  await seedDemoReminders(cast, awaitingVotes);
  await story.toScheduled(
    await normal("Patch OpenSSL on the web tier", ["web-frontend"], {
      cves: "CVE-2026-10001 7.5",
      ...release("web-frontend", "5.3.1", "5.3.0", "3", { critical: 0, high: 0, medium: 2 }),
    }),
  );
  // Its window opens just after seeding (inside the gate's grace) and stays open for the day, so the
  // pipeline walkthrough's first check is allowed at once (docs/pipelines.md).
  const opensAt = Date.now() + DEMO_OPEN_WINDOW.leadMinutes * 60_000;
  await story.toScheduled(
    await story.draft(DEMO_OPEN_WINDOW.title, [ci["orders-api"]!], 0, {
      ...release("orders-api", "3.9.0", "3.8.2", "4", { low: 1 }),
      plannedStart: new Date(opensAt).toISOString(),
      plannedEnd: new Date(opensAt + DEMO_OPEN_WINDOW.hours * 3_600_000).toISOString(),
    }),
  );
  await story.toImplementing(await normal("Rotate the orders-api service credentials", ["orders-api"], { touchesAuth: true }));
  await story.toReview(await normal("Increase payments-db connection pool", ["payments-db"]), "successful_with_issues");
  await story.close(
    await story.toReview(
      await normal("Move HR portal sessions to the new auth service", ["hr-portal"], { regulatedData: true, frameworkTags: ["hipaa"] }),
      "successful",
    ),
  );
  const rejected = await story.toAuthorization(
    await normal("Open the admin API to partners", ["orders-api"], { newExternalInterface: true, touchesAuth: true }),
  );
  await story.vote(rejected, "security", "security_reviewer", "reject", "No threat model for the partner access path; resubmit with one.");
  await story.act(rejected, "manager", "reject", { reason: "Vetoed by security review: no threat model." });
  const cancelled = await normal("Decommission the old reporting export", ["reporting"]);
  await story.submit(cancelled);
  await story.act(cancelled, "requester", "withdraw", { reason: "Superseded by the new export job." });
  const rework = await normal("Resize the build runner", ["build-runner"]);
  await story.toAssessment(rework);
  await story.act(rework, "manager", "return_for_rework", { reason: "The backout plan does not say how the old size is restored." });

  const emergency = { type: "emergency", emergencyJustification: "CVE-2026-20002 is exploited in the wild against our auth stack." };
  const hotfix = await story.draft("Emergency patch for auth-service", [ci["auth-service"]!], 0, {
    ...emergency,
    cves: "CVE-2026-20002 9.8 exploited",
    touchesAuth: true,
  });
  await story.close(await story.emergencyToReview(hotfix), {
    rootCause: "An unpatched library in the token parser.",
    securityValidation: "Access logs reviewed for 30 days; no token forgery found. Admin grants audited.",
  });
  await story.emergencyToImplementing(
    await story.draft("Block the abusive ASN at the edge", [ci["edge-proxy"]!], 0, {
      ...emergency,
      emergencyJustification: "Credential-stuffing attack in progress.",
    }),
  );

  const standard = { type: "standard", templateId: template.id, title: "Rotate the staging web certificate" };
  await story.submit(await story.draft("Rotate the staging web certificate", [ci["staging-web"]!], 3, standard), "requester");
  const done = await story.draft("Rotate the staging web certificate (quarterly)", [ci["staging-web"]!], 2, standard);
  await story.submit(done);
  await story.assign(done);
  await story.act(done, "implementer", "start_implementation", EARLY_START);
  await story.act(done, "implementer", "record_outcome", { outcome: "successful" });
  await story.close(done);

  // Approved, but planned inside the freeze: the schedule step is refused until it moves or is excepted.
  const frozen = await story.toAuthorization(
    await story.draft("Upgrade the payments-db minor version", [ci["payments-db"]!], DEMO_FREEZE_DAY + 1, {
      description: "Apply the vendor's minor release with the replication fix.",
    }),
  );
  await story.approveAll(frozen);
  await story.assign(frozen);

  await story.toAuthorization(
    await story.draft("Migrate payments to the new database cluster", [ci["payments-db"]!, ci["orders-api"]!], 10, {
      type: "major",
      regulatedData: true,
      frameworkTags: ["pci_dss"],
      infraProvisioning: true,
    }),
  );
  return history.changes + story.count;
}

async function seedDemoHistory(): Promise<DemoHistory> {
  const client = await pgPool().connect();
  try {
    return await writeDemoHistory(client, {
      now: new Date(),
      signingKey: (await currentSigningKey()).privateKey,
      checkpointEvery: env().AUDIT_CHECKPOINT_EVERY,
    });
  } finally {
    client.release();
  }
}

/** A software change's release practices and its one artifact, with a scan summary (some with findings). */
function release(name: string, version: string, replaces: string, digestChar: string, counts: Record<string, number>) {
  return {
    releaseArtifact: true,
    replacesVersion: replaces,
    rollbackCriteria: "Error rate above 2% or p95 latency above 800 ms for 5 minutes after the rollout.",
    artifacts: [
      {
        name,
        version,
        digest: `sha256:${digestChar.repeat(8)}${"0123456789abcdef".repeat(3)}${digestChar.repeat(8)}`,
        sourceRepository: `https://git.example.com/platform/${name}`,
        sourceCommit: "4f1c2a9e0b7d",
        sbomRef: `https://artifacts.example.com/${name}/${version}/sbom.spdx.json`,
        provenanceRef: `https://artifacts.example.com/${name}/${version}/provenance.intoto.jsonl`,
        scan: {
          scanner: "trivy 0.58",
          scannedAt: new Date().toISOString(),
          critical: 0,
          high: 0,
          medium: 0,
          low: 4,
          knownExploited: 0,
          ...counts,
        },
      },
    ],
  };
}

/** The demo's one change whose window is open as it is seeded: its digest is the walkthrough's allowed deploy. */
export const DEMO_OPEN_WINDOW = { title: "Roll out orders-api 3.9.0", leadMinutes: 2, hours: 12 } as const;

// The demo's windows lie ahead of the moment it is seeded, so each start is early and says why.
const EARLY_START = { reason: "Started ahead of the window: the demo is seeded before its calendar." };

class DemoStory {
  count = 0;
  constructor(private readonly cast: Cast) {}

  async draft(title: string, ciIds: string[], daysAhead: number, extra: Record<string, unknown> = {}): Promise<string> {
    const start = new Date(Date.now() + (daysAhead * 24 + 2) * 60 * 60 * 1000);
    this.count += 1;
    return must(
      await createChangeDraft(this.cast.requester, {
        ...blankDraftInput(),
        type: "normal",
        title,
        description: `${title}.`,
        justification: "Keeps the service supported and secure.",
        implementationPlan: "1. Announce. 2. Apply the change. 3. Verify.",
        backoutPlan: "Revert to the previous version from the release archive.",
        testPlan: "Smoke tests and the service's health checks.",
        backoutTested: true,
        plannedStart: start.toISOString(),
        plannedEnd: new Date(start.getTime() + 45 * 60 * 1000).toISOString(),
        ciIds,
        ...extra,
      }),
      `draft "${title}"`,
    ).id;
  }

  async act(changeId: string, who: keyof Cast, action: string, extra: Record<string, unknown> = {}) {
    must(await performChangeAction(this.cast[who], { changeId, action, ...extra }), `${action} on ${changeId}`);
    return changeId;
  }

  submit = (id: string, who: keyof Cast = "requester") => this.act(id, who, "submit");

  async signAll(changeId: string, preImplementationOnly = false) {
    // The scan item is judged from the artifacts: met, or waived here (the demo shows one waiver).
    const scan = await waiveItem(this.cast.security, {
      changeId,
      key: "vulnerability_scan",
      compensatingControl: "The exploited path is disabled in configuration; WAF rule 9021 blocks it.",
      residualRisk: "Low until the fixed base image ships next sprint.",
      expiresAt: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString(),
    });
    if (!scan.ok && !/is met|does not apply|already waived|list the release artifacts/.test(scan.message) && !preImplementationOnly)
      must(scan, "scan waiver");
    const items = await db().checklistItem.findMany({
      where: { changeId, status: "pending", ...(preImplementationOnly ? { preImplementation: true } : {}) },
    });
    for (const item of items) {
      if (item.key === "vulnerability_scan") continue;
      if (item.key === "secure_baseline" && !preImplementationOnly) {
        must(
          await waiveItem(this.cast.security, {
            changeId,
            key: item.key,
            compensatingControl: "Nightly configuration drift scan with alerting",
            residualRisk: "Low: drift is found within 24 hours.",
          }),
          "waiver",
        );
        continue;
      }
      const signer = item.signerRole === "security_reviewer" ? this.cast.security : this.cast.manager;
      must(
        await signOffItem(signer, {
          changeId,
          key: item.key,
          evidence: `Checked: ${item.evidenceWanted} (ticket OPS-${1000 + this.count}).`,
        }),
        `sign-off ${item.key}`,
      );
    }
  }

  async vote(changeId: string, who: keyof Cast, role: string, decision: string, comment = "") {
    must(await castVote(this.cast[who], { changeId, role, decision, comment }), `vote by ${who}`);
  }

  async approveAll(changeId: string) {
    const c = await db().changeRequest.findUniqueOrThrow({ where: { id: changeId } });
    const requirement = requiredApprovals({ type: c.type, risk: c.riskLevel ? { level: c.riskLevel, summary: "" } : null, flags: c });
    const pool = { change_manager: ["manager"], cab_member: ["cab", "lead"], security_reviewer: ["security"] } as const;
    for (const rule of requirement.rules) {
      for (const who of pool[rule.role].slice(0, rule.count))
        await this.vote(changeId, who, rule.role, "approve", "Reviewed the plans; fine by me.");
    }
  }

  assign = (id: string) =>
    assignImplementer(this.cast.manager, { changeId: id, implementerId: this.cast.implementer.id }).then((r) => must(r, "assignment"));

  async toAssessment(id: string) {
    await this.submit(id);
    return this.act(id, "manager", "start_assessment");
  }
  /** The change manager records the backout test during assessment: the requester's own box does not count for the risk. */
  async recordBackoutTest(id: string) {
    const change = await getChangeForViewer(this.cast.manager, id);
    if (!change || typeof change !== "object") throw new Error(`backout test on ${id}: no such change`);
    const current = changeFormInitial(change);
    must(
      await updateChangeDraft(this.cast.manager, { ...changeDraftFields(current.values), backoutTestRecorded: true, changeId: id }),
      `backout test on ${id}`,
    );
  }
  async toAuthorization(id: string) {
    await this.toAssessment(id);
    await this.recordBackoutTest(id);
    await this.signAll(id);
    return this.act(id, "manager", "request_authorization");
  }
  async toScheduled(id: string) {
    await this.toAuthorization(id);
    await this.approveAll(id);
    await this.assign(id);
    return this.act(id, "manager", "schedule");
  }
  async toImplementing(id: string) {
    await this.toScheduled(id);
    return this.act(id, "implementer", "start_implementation", EARLY_START);
  }
  async toReview(id: string, outcome: string) {
    await this.toImplementing(id);
    return this.act(id, "implementer", "record_outcome", { outcome, outcomeNotes: "Health checks green after the change." });
  }
  async emergencyToImplementing(id: string) {
    await this.submit(id);
    await this.approveAll(id);
    await this.signAll(id, true);
    await this.assign(id);
    return this.act(id, "implementer", "start_implementation", EARLY_START);
  }
  async emergencyToReview(id: string) {
    await this.emergencyToImplementing(id);
    await this.signAll(id);
    return this.act(id, "implementer", "record_outcome", { outcome: "successful" });
  }
  async close(id: string, extra: { rootCause?: string; securityValidation?: string } = {}) {
    const review = {
      worksAsIntended: true,
      securityControlsInPlace: true,
      monitoringCovers: true,
      documentationUpdated: true,
      securityValidation: extra.securityValidation,
      notes: "Reviewed in the weekly CAB.",
    };
    return this.act(id, "manager", "close", { review, rootCause: extra.rootCause });
  }
}
