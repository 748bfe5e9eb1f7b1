// Issue 29 item 1: a refused form comes back with every field as the user left it, and what is
// saved after fixing the one error is exactly what was chosen (not a reset radio or checkbox).
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { verifyPassword } from "../../lib/server/auth/password";
import { createUser, query } from "./support/database";
import { act, as, fileAndSubmit, localInput, recordBackoutTest, signItems, startEarly, toAuthorization, vote } from "./support/change-ui";
import { SCREENSHOTS, signInAndWait } from "./support/session";

const FLAGS = {
  newExternalInterface: "Adds a new external interface, API or data flow",
  touchesAuth: "Touches authentication or access control",
  regulatedData: "Handles regulated data",
  infraProvisioning: "Provisions infrastructure",
  releaseArtifact: "Deploys a release artifact",
  temporaryAccess: "Opens temporary access or firewall rules",
} as const;
type Flag = keyof typeof FLAGS;
const TYPES = ["Normal", "Standard", "Emergency", "Major"] as const;

type Choice = {
  type: "Normal" | "Emergency" | "Major";
  texts: Record<string, string>;
  backoutTested: boolean;
  flags: Record<Flag, boolean>;
  frameworks: Record<string, boolean>;
  cis: string[];
  start: string;
  end: string;
  /** The release artifacts as typed into the repeated group: name, version, digest, critical findings. */
  artifacts: { name: string; version: string; digest: string; critical: string }[];
  expires: string;
};

const ARTIFACT_FIELDS = [
  ["name", "name"],
  ["version", "version"],
  ["digest", "digest"],
  ["critical", "critical findings"],
] as const;

const label = (page: Page, name: string) => page.getByLabel(name, { exact: true });
const chosenCis = (page: Page) => page.getByRole("list", { name: "Chosen: Affected configuration items" });

async function setCheck(page: Page, name: string, on: boolean) {
  await label(page, name).setChecked(on);
}

/** Fills every field of the change form but the title, as `choice` says. */
async function fill(page: Page, choice: Choice) {
  await page.getByRole("radio", { name: new RegExp(`^${choice.type}`) }).check();
  for (const [name, value] of Object.entries(choice.texts)) await label(page, name).fill(value);
  for (const [flag, on] of Object.entries(choice.flags)) await setCheck(page, FLAGS[flag as Flag], on);
  for (const [framework, on] of Object.entries(choice.frameworks)) await setCheck(page, framework, on);
  const chosen = chosenCis(page);
  const removes = chosen.getByRole("button", { name: /^Remove / });
  while (await removes.count()) await removes.first().click();
  for (const ci of choice.cis) {
    await label(page, "Search configuration items").fill(ci);
    await page.getByRole("button", { name: `Add ${ci}`, exact: true }).click();
  }
  await label(page, "Planned start").fill(choice.start);
  await label(page, "Planned end").fill(choice.end);
  await setCheck(page, "The backout plan was tested (rehearsed)", choice.backoutTested);
  for (const [i, artifact] of choice.artifacts.entries()) {
    if (!(await label(page, `Artifact ${i + 1} name`).count())) await page.getByRole("button", { name: "Add another artifact" }).click();
    for (const [key, field] of ARTIFACT_FIELDS) await label(page, `Artifact ${i + 1} ${field}`).fill(artifact[key]);
  }
  await label(page, "Temporary access expires").fill(choice.expires);
}

/** Every field shows what `choice` says. */
async function expectKept(page: Page, choice: Choice) {
  for (const type of TYPES) {
    const radio = page.getByRole("radio", { name: new RegExp(`^${type}`) });
    if (type === choice.type) await expect(radio, type).toBeChecked();
    else await expect(radio, type).not.toBeChecked();
  }
  for (const [name, value] of Object.entries(choice.texts)) await expect(label(page, name), name).toHaveValue(value);
  for (const [flag, on] of Object.entries(choice.flags)) {
    if (on) await expect(label(page, FLAGS[flag as Flag]), flag).toBeChecked();
    else await expect(label(page, FLAGS[flag as Flag]), flag).not.toBeChecked();
  }
  for (const [framework, on] of Object.entries(choice.frameworks)) {
    if (on) await expect(label(page, framework), framework).toBeChecked();
    else await expect(label(page, framework), framework).not.toBeChecked();
  }
  const backout = label(page, "The backout plan was tested (rehearsed)");
  if (choice.backoutTested) await expect(backout).toBeChecked();
  else await expect(backout).not.toBeChecked();
  await expect(chosenCis(page).getByRole("listitem")).toHaveText(choice.cis.map((ci) => new RegExp(`^${ci}`)));
  await expect(label(page, "Planned start")).toHaveValue(choice.start);
  await expect(label(page, "Planned end")).toHaveValue(choice.end);
  for (const [i, artifact] of choice.artifacts.entries())
    for (const [key, field] of ARTIFACT_FIELDS) await expect(label(page, `Artifact ${i + 1} ${field}`)).toHaveValue(artifact[key]);
  await expect(label(page, "Temporary access expires")).toHaveValue(choice.expires);
}

type Stored = Record<string, unknown> & { framework_tags: string[]; cis: string[] };

async function stored(id: string): Promise<Stored> {
  const [row] = await query<Stored>(
    `SELECT c.type::text, c.title, c.description, c.justification, c.implementation_plan, c.backout_plan, c.test_plan, c.backout_tested,
            c.emergency_justification, c.planned_start, c.planned_end, c.new_external_interface, c.touches_auth, c.regulated_data,
            c.framework_tags, c.infra_provisioning, c.release_artifact, c.temporary_access, c.access_expires_at,
            c.rollback_criteria, c.replaces_version,
            (SELECT coalesce(json_agg(json_build_object('name', a.name, 'version', a.version, 'digest', a.digest, 'critical', a.scan_critical::text)
               ORDER BY a.name), '[]') FROM release_artifacts a WHERE a.change_id = c.id) AS artifacts,
            (SELECT array_agg(ci.name ORDER BY ci.name) FROM change_cis cc JOIN configuration_items ci ON ci.id = cc.ci_id WHERE cc.change_id = c.id) AS cis,
            (SELECT string_agg(r.cve_id || ' ' || r.cvss_base_score || CASE WHEN r.known_exploited THEN ' exploited' ELSE '' END, E'\\n' ORDER BY r.cve_id) FROM cve_references r WHERE r.change_id = c.id) AS cves
       FROM change_requests c WHERE c.id = $1`,
    [id],
  );
  return row!;
}

/** The stored change is what was chosen, field by field. */
async function expectStored(id: string, title: string, choice: Choice) {
  const row = await stored(id);
  const utc = (local: string) => new Date(`${local}:00Z`).toISOString(); // the browser runs in UTC
  expect({
    type: row.type,
    title: row.title,
    description: row.description,
    justification: row.justification,
    implementationPlan: row.implementation_plan,
    backoutPlan: row.backout_plan,
    testPlan: row.test_plan,
    backoutTested: row.backout_tested,
    emergencyJustification: row.emergency_justification,
    plannedStart: (row.planned_start as Date).toISOString(),
    plannedEnd: (row.planned_end as Date).toISOString(),
    newExternalInterface: row.new_external_interface,
    touchesAuth: row.touches_auth,
    regulatedData: row.regulated_data,
    frameworkTags: [...row.framework_tags].sort(),
    infraProvisioning: row.infra_provisioning,
    releaseArtifact: row.release_artifact,
    artifacts: row.artifacts,
    rollbackCriteria: row.rollback_criteria,
    replacesVersion: row.replaces_version,
    temporaryAccess: row.temporary_access,
    accessExpiresAt: (row.access_expires_at as Date).toISOString(),
    cis: row.cis,
    cves: row.cves,
  }).toEqual({
    type: choice.type.toLowerCase(),
    title,
    description: choice.texts.Description,
    justification: choice.texts["Business justification"],
    implementationPlan: choice.texts["Implementation plan"],
    backoutPlan: choice.texts["Backout plan"],
    testPlan: choice.texts["Test plan"],
    backoutTested: choice.backoutTested,
    emergencyJustification: choice.type === "Emergency" ? choice.texts["Emergency justification"] : null,
    plannedStart: utc(choice.start),
    plannedEnd: utc(choice.end),
    newExternalInterface: choice.flags.newExternalInterface,
    touchesAuth: choice.flags.touchesAuth,
    regulatedData: choice.flags.regulatedData,
    frameworkTags: Object.entries({ "PCI DSS": "pci_dss", HIPAA: "hipaa", SOX: "sox", GDPR: "gdpr" })
      .filter(([name]) => choice.frameworks[name])
      .map(([, tag]) => tag)
      .sort(),
    infraProvisioning: choice.flags.infraProvisioning,
    releaseArtifact: choice.flags.releaseArtifact,
    artifacts: [...choice.artifacts].sort((a, b) => a.name.localeCompare(b.name)).map((a) => ({ ...a, critical: a.critical || null })),
    rollbackCriteria: choice.texts["Rollback criteria"],
    replacesVersion: choice.texts["Version it replaces"],
    temporaryAccess: choice.flags.temporaryAccess,
    accessExpiresAt: utc(choice.expires),
    cis: [...choice.cis].sort(),
    cves: choice.texts["CVE references"],
  });
}

/** Saves without a title, checks nothing moved, then saves with one; returns the change's id. */
async function refuseThenSave(page: Page, choice: Choice, title: string, screenshot?: string): Promise<string> {
  await label(page, "Title").fill("");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Give the change a title.")).toBeVisible();
  await expectKept(page, choice);
  if (screenshot) await page.screenshot({ path: `${SCREENSHOTS}/${screenshot}`, fullPage: true });
  await label(page, "Title").fill(title);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname.split("/")[2]!;
}

const emergency: Choice = {
  type: "Emergency",
  texts: {
    Description: "Rotate the signing keys of the identity provider.",
    "Business justification": "A leaked key lets anyone mint sessions.",
    "Emergency justification": "The key is being used by an attacker right now.",
    "Implementation plan": "Issue new keys, roll the services, revoke the old ones.",
    "Backout plan": "Restore the previous key set from the vault.",
    "Test plan": "Sign in as each role; verify old tokens are refused.",
    "CVE references": "CVE-2026-12345 9.8 exploited\nCVE-2026-23456 5.3",
    "Rollback criteria": "Sign-in errors above 1% for five minutes.",
    "Version it replaces": "idp 7.2.0",
  },
  backoutTested: true,
  flags: {
    newExternalInterface: true,
    touchesAuth: true,
    regulatedData: true,
    infraProvisioning: true,
    releaseArtifact: true,
    temporaryAccess: true,
  },
  frameworks: { "PCI DSS": true, HIPAA: false, SOX: false, GDPR: true },
  cis: ["auth-service", "edge-proxy"],
  start: localInput(2, 9),
  end: localInput(2, 10),
  artifacts: [
    { name: "idp", version: "7.2.1", digest: `sha256:${"ab12".repeat(16)}`, critical: "0" },
    { name: "idp-keys", version: "2026.12", digest: `sha256:${"ef56".repeat(16)}`, critical: "2" },
  ],
  expires: localInput(3, 12),
};

test("the new-change form keeps every field on refusal and stores what was chosen", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await as(browser, "requester");
  await page.goto("/changes/new");
  await fill(page, emergency);
  const title = `Rotate identity keys ${Date.now().toString(36)}`;
  // A bad digest in the artifact group: refused beside its field, every row kept as typed.
  await label(page, "Title").fill(title);
  await label(page, "Artifact 2 digest").fill("sha256:NOT-HEX");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText('Write the digest as "sha256:" and 64 lowercase hex digits.')).toBeVisible();
  await expect(label(page, "Artifact 2 digest")).toHaveValue("sha256:NOT-HEX");
  await expectKept(page, { ...emergency, artifacts: [emergency.artifacts[0]!, { ...emergency.artifacts[1]!, digest: "sha256:NOT-HEX" }] });
  await page.screenshot({ path: `${SCREENSHOTS}/form-refusal-artifacts.png`, fullPage: true });
  await label(page, "Artifact 2 digest").fill(emergency.artifacts[1]!.digest);
  const id = await refuseThenSave(page, emergency, title, "form-refusal-new-change.png");
  await page.goto(`/changes/${id}`);
  await expect(page.getByRole("heading", { name: "Release artifacts" })).toBeVisible();
  await expect(page.getByText("idp-keys 2026.12 has 2 critical findings")).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/change-page-artifacts.png`, fullPage: true });
  await expectStored(id, title, emergency);
});

test("the edit-change form keeps every field on refusal and stores what was chosen", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await as(browser, "requester");
  await page.goto("/changes/new");
  await fill(page, emergency);
  await label(page, "Title").fill(`To be edited ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/changes\/[0-9a-f-]+\?created=1/);
  const id = new URL(page.url()).pathname.split("/")[2]!;

  // Change every kind of field away from what is stored, then refuse.
  const major: Choice = {
    type: "Major",
    texts: {
      Description: "Move the identity provider to the new cluster.",
      "Business justification": "The old cluster leaves support.",
      "Implementation plan": "Replicate, switch the DNS, drain the old one.",
      "Backout plan": "Switch the DNS back.",
      "Test plan": "Synthetic sign-ins from every region.",
      "CVE references": "CVE-2025-0001 4.0",
      "Rollback criteria": "Any region failing synthetic sign-ins.",
      "Version it replaces": "cluster-a",
    },
    backoutTested: false,
    flags: {
      newExternalInterface: false,
      touchesAuth: true,
      regulatedData: true,
      infraProvisioning: false,
      releaseArtifact: true,
      temporaryAccess: true,
    },
    frameworks: { "PCI DSS": false, HIPAA: true, SOX: true, GDPR: false },
    cis: ["dns"],
    start: localInput(5, 14),
    end: localInput(5, 16),
    artifacts: [
      { name: "idp", version: "8.0.0", digest: `sha256:${"cd34".repeat(16)}`, critical: "" },
      { name: "idp-keys", version: "2026.12", digest: `sha256:${"ef56".repeat(16)}`, critical: "1" },
    ],
    expires: localInput(6, 8),
  };
  await page.goto(`/changes/${id}/edit`);
  await fill(page, major);
  const title = `Move identity ${Date.now().toString(36)}`;
  await refuseThenSave(page, major, title);
  await expectStored(id, title, major);
});

/** The form that holds the button named `button` (several forms share field labels on a page). */
const formOf = (scope: Page | Locator, button: string) =>
  scope.getByRole("button", { name: button, exact: true }).locator("xpath=ancestor::form");

// The forms of one change's later steps, in its order: each test picks up where the last left it.
test.describe.serial("a change's step forms", () => {
  let path = "";
  let id = "";

  test("the sign-off form keeps its evidence on refusal and stores it once fixed", async ({ browser }) => {
    test.setTimeout(120_000);
    const requester = await as(browser, "requester");
    path = await fileAndSubmit(requester, { title: `Raise the proxy cache ${Date.now().toString(36)}`, ci: "edge-proxy" });
    id = path.split("/")[2]!;
    const manager = await as(browser, "manager");
    await manager.goto(path);
    await act(manager, "Start assessment");
    const form = formOf(manager, "Sign off Backup verified");
    await form.getByLabel("Evidence").fill("ok");
    await form.getByRole("button", { name: "Sign off Backup verified" }).click();
    await expect(form.getByText("Say what evidence you checked")).toBeVisible();
    await expect(form.getByLabel("Evidence")).toHaveValue("ok");
    await form.getByLabel("Evidence").fill("Restore test of last night's backup, ticket OPS-7.");
    await Promise.all([manager.waitForURL(/done=signed/), form.getByRole("button", { name: "Sign off Backup verified" }).click()]);
    const [item] = await query(`SELECT status::text, evidence FROM checklist_items WHERE change_id = $1 AND key = 'backup_verified'`, [id]);
    expect(item).toEqual({ status: "signed", evidence: "Restore test of last night's backup, ticket OPS-7." });
  });

  test("the waiver form keeps its compensating control on refusal and stores both fields", async ({ browser }) => {
    const security = await as(browser, "security");
    await security.goto(path);
    const button = "Waive Configuration compliant with the secure baseline";
    const form = formOf(security, button);
    await form.getByLabel("Compensating control").fill("Nightly drift scan with alerts to the on-call.");
    await form.getByRole("button", { name: button }).click();
    await expect(form.getByText("Describe the residual risk")).toBeVisible();
    await expect(form.getByLabel("Compensating control")).toHaveValue("Nightly drift scan with alerts to the on-call.");
    await expect(form.getByLabel("Residual risk")).toHaveValue("");
    await form.getByLabel("Residual risk").fill("Drift lives up to a day.");
    await Promise.all([security.waitForURL(/done=waived/), form.getByRole("button", { name: button }).click()]);
    const [item] = await query(
      `SELECT status::text, compensating_control, residual_risk FROM checklist_items WHERE change_id = $1 AND key = 'secure_baseline'`,
      [id],
    );
    expect(item).toEqual({
      status: "waived",
      compensating_control: "Nightly drift scan with alerts to the on-call.",
      residual_risk: "Drift lives up to a day.",
    });
  });

  test("the reschedule form keeps both date-times on refusal and stores the fixed window", async ({ browser }) => {
    test.setTimeout(180_000);
    const manager = await as(browser, "manager");
    await manager.goto(path);
    await recordBackoutTest(manager, path);
    await signItems(manager);
    await act(manager, "Send for authorization");
    for (const who of ["cab", "lead"]) {
      const cab = await as(browser, who);
      await cab.goto(path);
      await vote(cab, "Approve", `Approved by ${who}.`);
    }
    await manager.reload();
    await manager.getByLabel("Implementer").selectOption({ label: "Ines Implementer" });
    await Promise.all([manager.waitForURL(/done=assigned/), manager.getByRole("button", { name: "Assign implementer" }).click()]);
    await act(manager, "Authorize and schedule");

    const schedule = manager.getByRole("region", { name: "Schedule and conflicts" });
    await schedule.getByText("Move the planned window…").click();
    const form = formOf(schedule, "Reschedule");
    const [start, wrongEnd, end] = [localInput(4, 10), localInput(4, 8), localInput(4, 12)];
    await form.getByLabel("Planned start").fill(start);
    await form.getByLabel("Planned end").fill(wrongEnd);
    await form.getByRole("button", { name: "Reschedule" }).click();
    await expect(form.getByText("The planned end must be after the planned start.")).toBeVisible();
    await expect(form.getByLabel("Planned start")).toHaveValue(start);
    await expect(form.getByLabel("Planned end")).toHaveValue(wrongEnd);
    await form.getByLabel("Planned end").fill(end);
    await Promise.all([manager.waitForURL(/done=rescheduled/), form.getByRole("button", { name: "Reschedule" }).click()]);
    const [change] = await query<{ planned_start: Date; planned_end: Date }>(
      `SELECT state::text, planned_start, planned_end FROM change_requests WHERE id = $1`,
      [id],
    );
    expect({ ...change, planned_start: change!.planned_start.toISOString(), planned_end: change!.planned_end.toISOString() }).toEqual({
      state: "scheduled",
      planned_start: `${start}:00.000Z`,
      planned_end: `${end}:00.000Z`,
    });
  });

  test("the record-outcome form keeps its outcome and notes on refusal and stores what was chosen", async ({ browser }) => {
    const implementer = await as(browser, "implementer");
    await implementer.goto(path);
    await act(implementer, "Start implementation", startEarly);

    const form = formOf(implementer, "Record outcome");
    // No outcome is preselected: recording one is the implementer's explicit choice.
    await expect(form.getByLabel("Outcome")).toHaveValue("");
    await form.getByRole("button", { name: "Record outcome" }).click();
    await expect(form.getByText(/Record the outcome: successful/).first()).toBeVisible();
    const tooLong = "x".repeat(10_001);
    await form.getByLabel("Outcome").selectOption({ label: "Rolled back" });
    await form.getByLabel("Notes and evidence").fill(tooLong);
    await form.getByRole("button", { name: "Record outcome" }).click();
    await expect(form.getByText("Use at most 10,000 characters.").first()).toBeVisible();
    await expect(form.getByLabel("Outcome")).toHaveValue("rolled_back");
    await expect(form.getByLabel("Notes and evidence")).toHaveValue(tooLong);
    await form.getByLabel("Notes and evidence").fill("The cache thrashed; the old size is back.");
    await Promise.all([implementer.waitForURL(/done=record_outcome/), form.getByRole("button", { name: "Record outcome" }).click()]);
    const [change] = await query(`SELECT state::text, outcome::text, outcome_notes FROM change_requests WHERE id = $1`, [id]);
    expect(change).toEqual({ state: "review", outcome: "rolled_back", outcome_notes: "The cache thrashed; the old size is back." });
  });

  test("the close-after-review form keeps its four checkboxes and texts on refusal", async ({ browser }) => {
    const manager = await as(browser, "manager");
    await manager.goto(path);
    const form = manager
      .getByRole("region", { name: "What you can do" })
      .locator("details", { has: manager.locator("summary", { hasText: "Close after review…" }) });
    const ticked = ["Works as intended", "Security controls still in place", "Documentation updated"];
    for (const check of ticked) await form.getByLabel(check).check();
    await form.getByLabel("Root cause").fill("The cache size was tuned for the old hardware.");
    await form.getByLabel("Review notes").fill("Rolled back cleanly, no errors.");
    await form.getByRole("button", { name: "Close after review", exact: true }).click();
    await expect(form.getByText(/must confirm that monitoring/i)).toBeVisible();
    for (const check of ticked) await expect(form.getByLabel(check), check).toBeChecked();
    await expect(form.getByLabel("Monitoring covers the change")).not.toBeChecked();
    await expect(form.getByLabel("Root cause")).toHaveValue("The cache size was tuned for the old hardware.");
    await expect(form.getByLabel("Review notes")).toHaveValue("Rolled back cleanly, no errors.");

    await act(manager, "Close after review", async (panel) => {
      await panel.getByLabel("Monitoring covers the change").check();
    });
    const [review] = await query(
      `SELECT r.works_as_intended, r.security_controls_in_place, r.monitoring_covers, r.documentation_updated, r.notes, c.root_cause
         FROM post_implementation_reviews r JOIN change_requests c ON c.id = r.change_id WHERE r.change_id = $1`,
      [id],
    );
    expect(review).toEqual({
      works_as_intended: true,
      security_controls_in_place: true,
      monitoring_covers: true,
      documentation_updated: true,
      notes: "Rolled back cleanly, no errors.",
      root_cause: "The cache size was tuned for the old hardware.",
    });
  });
});

test("the vote forms preselect nothing, refuse a vote without a decision, and keep a rejection", async ({ browser }) => {
  test.setTimeout(180_000);
  const requester = await as(browser, "requester");
  const title = `Widen the proxy timeouts ${Date.now().toString(36)}`;
  const path = await fileAndSubmit(requester, { title, ci: "edge-proxy" });
  const id = path.split("/")[2]!;
  await toAuthorization(browser, path);
  const decisions = ["Approve", "Reject", "Abstain"];

  // In the CAB queue.
  const lead = await as(browser, "lead");
  // The queue is paged, and other specs fill it: the change's own CI and soonest-first keep it on the first page.
  await lead.goto("/cab?sort=start&ci=edge-proxy");
  const row = lead.getByRole("listitem").filter({ has: lead.getByRole("link", { name: title }) });
  for (const decision of decisions) await expect(row.getByRole("radio", { name: decision }), decision).not.toBeChecked();
  await row.getByLabel("Comment").fill("Needs a rehearsal first.");
  await row.getByRole("button", { name: "Vote" }).click();
  await expect(row.getByText("Choose approve, reject or abstain.")).toBeVisible();
  for (const decision of decisions) await expect(row.getByRole("radio", { name: decision }), decision).not.toBeChecked();
  await expect(row.getByLabel("Comment")).toHaveValue("Needs a rehearsal first.");
  await row.getByRole("radio", { name: "Reject" }).check();
  await row.getByLabel("Comment").fill("");
  await row.getByRole("button", { name: "Vote" }).click();
  await expect(row.getByText("Give a reason for rejecting the change.")).toBeVisible();
  await expect(row.getByRole("radio", { name: "Reject" })).toBeChecked();
  await expect(row.getByRole("radio", { name: "Approve" })).not.toBeChecked();
  await row.screenshot({ path: `${SCREENSHOTS}/form-refusal-cab-queue-vote.png` });
  await row.getByLabel("Comment").fill("Needs a rehearsal first.");
  await row.getByRole("button", { name: "Vote" }).click();
  await expect(lead.getByRole("link", { name: title })).toHaveCount(0);

  // On the change page.
  const cab = await as(browser, "cab");
  await cab.goto(path);
  const approvals = cab.getByRole("region", { name: "Approvals" });
  for (const decision of decisions) await expect(approvals.getByRole("radio", { name: decision }), decision).not.toBeChecked();
  await approvals.getByLabel("Comment").fill("The rollback was never rehearsed.");
  await approvals.getByRole("button", { name: "Cast vote" }).click();
  await expect(approvals.getByText("Choose approve, reject or abstain.")).toBeVisible();
  await approvals.screenshot({ path: `${SCREENSHOTS}/form-refusal-vote-no-decision.png` });
  for (const decision of decisions) await expect(approvals.getByRole("radio", { name: decision }), decision).not.toBeChecked();
  await expect(approvals.getByLabel("Comment")).toHaveValue("The rollback was never rehearsed.");
  await approvals.getByRole("radio", { name: "Reject" }).check();
  await approvals.getByLabel("Comment").fill("");
  await approvals.getByRole("button", { name: "Cast vote" }).click();
  await expect(approvals.getByText("Give a reason for rejecting the change.")).toBeVisible();
  await expect(approvals.getByRole("radio", { name: "Reject" })).toBeChecked();
  await expect(approvals.getByRole("radio", { name: "Approve" })).not.toBeChecked();
  await approvals.getByLabel("Comment").fill("The rollback was never rehearsed.");
  await Promise.all([cab.waitForURL(/done=vote/), approvals.getByRole("button", { name: "Cast vote" }).click()]);

  const votes = await query(
    `SELECT u.email, v.decision::text, v.comment FROM votes v JOIN users u ON u.id = v.voter_id WHERE v.change_id = $1 ORDER BY u.email`,
    [id],
  );
  expect(votes).toEqual([
    { email: "cab@demo.local", decision: "reject", comment: "The rollback was never rehearsed." },
    { email: "lead@demo.local", decision: "reject", comment: "Needs a rehearsal first." },
  ]);
});

test("the new-CI form keeps its selects on refusal and stores what was chosen", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await as(browser, "admin");
  await page.goto("/admin/cis/new");
  const texts = { Type: "service", Environment: "staging", Owner: "Platform team", Tags: "pci, edge" };
  for (const [name, value] of Object.entries(texts)) await label(page, name).fill(value);
  await label(page, "Criticality").selectOption("3");
  await label(page, "Exposure").selectOption("isolated");
  await page.getByRole("button", { name: "Create configuration item" }).click();
  await expect(label(page, "Name")).toHaveAttribute("aria-invalid", "true");
  for (const [name, value] of Object.entries(texts)) await expect(label(page, name), name).toHaveValue(value);
  await expect(label(page, "Criticality")).toHaveValue("3");
  await expect(label(page, "Exposure")).toHaveValue("isolated");
  const name = `refusal-ci-${Date.now().toString(36)}`;
  await label(page, "Name").fill(name);
  await page.getByRole("button", { name: "Create configuration item" }).click();
  await expect(page).toHaveURL(/\/admin\/cis\/[0-9a-f-]+\?created=1/);
  const [ci] = await query<{ tags: string[] }>(
    `SELECT type, environment, owner, criticality, exposure::text, tags FROM configuration_items WHERE name = $1`,
    [name],
  );
  expect({ ...ci, tags: [...ci!.tags].sort() }).toEqual({
    type: "service",
    environment: "staging",
    owner: "Platform team",
    criticality: 3,
    exposure: "isolated",
    tags: ["edge", "pci"],
  });
});

test("the new-user form keeps its role checkboxes on refusal and stores what was chosen", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await as(browser, "admin");
  await page.goto("/admin/users/new");
  const email = `refusal-${Date.now().toString(36)}@example.test`;
  await label(page, "Email address").fill(email);
  await label(page, "Temporary password").fill("a-long-temporary-password");
  for (const role of ["CAB member", "Security reviewer"]) await label(page, role).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(label(page, "Full name")).toHaveAttribute("aria-invalid", "true");
  await expect(label(page, "Email address")).toHaveValue(email);
  await expect(label(page, "CAB member")).toBeChecked();
  await expect(label(page, "Security reviewer")).toBeChecked();
  await expect(label(page, "Requester")).not.toBeChecked();
  await label(page, "Full name").fill("Refused Once");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page).toHaveURL(/\/admin\/users\/[0-9a-f-]+\?created=1/);
  // Privileged roles chosen here are requested, for a second admin to approve, not granted.
  const rows = await query<{ name: string; role: string; status: string }>(
    `SELECT u.name, r.role::text, r.status::text FROM users u JOIN role_grant_requests r ON r.user_id = u.id WHERE u.email = $1 ORDER BY r.role`,
    [email],
  );
  expect(rows).toEqual([
    { name: "Refused Once", role: "cab_member", status: "pending" },
    { name: "Refused Once", role: "security_reviewer", status: "pending" },
  ]);
});

/** Configuration items of the test's own (SQL, as test set-up), so no demo CI's graph changes. */
async function freshCis(count: number, environment = "staging"): Promise<{ id: string; name: string }[]> {
  const suffix = Date.now().toString(36);
  const cis = [];
  for (let i = 0; i < count; i++) {
    const [row] = await query<{ id: string; name: string }>(
      `INSERT INTO configuration_items (name, type, environment, owner, criticality, exposure) VALUES ($1, 'service', $2, 'Test team', 2, 'internal') RETURNING id, name`,
      [`refusal-${suffix}-${i}`, environment],
    );
    cis.push(row!);
  }
  return cis;
}

async function pick(scope: Page | Locator, ci: string) {
  await scope.getByLabel("Search configuration items").fill(ci);
  await scope.getByRole("button", { name: `Add ${ci}`, exact: true }).click();
}

test("the edit-CI form keeps its selects on refusal and stores what was chosen", async ({ browser }) => {
  const [ci] = await freshCis(1);
  const page = await as(browser, "admin");
  await page.goto(`/admin/cis/${ci!.id}`);
  const form = formOf(page, "Save changes");
  const texts = { Type: "database", Environment: "production", Owner: "Data team", Tags: "hipaa, backup" };
  for (const [name, value] of Object.entries(texts)) await form.getByLabel(name, { exact: true }).fill(value);
  await form.getByLabel("Criticality").selectOption("4");
  await form.getByLabel("Exposure").selectOption("internet_facing");
  await form.getByLabel("Name", { exact: true }).fill("");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  for (const [name, value] of Object.entries(texts)) await expect(form.getByLabel(name, { exact: true }), name).toHaveValue(value);
  await expect(form.getByLabel("Criticality")).toHaveValue("4");
  await expect(form.getByLabel("Exposure")).toHaveValue("internet_facing");
  await form.getByLabel("Name", { exact: true }).fill(`${ci!.name}-db`);
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByRole("status")).toBeVisible();
  const [row] = await query<{ tags: string[] }>(
    `SELECT name, type, environment, owner, criticality, exposure::text, tags FROM configuration_items WHERE id = $1`,
    [ci!.id],
  );
  expect({ ...row, tags: [...row!.tags].sort() }).toEqual({
    name: `${ci!.name}-db`,
    type: "database",
    environment: "production",
    owner: "Data team",
    criticality: 4,
    exposure: "internet_facing",
    tags: ["backup", "hipaa"],
  });
});

test("the dependencies form keeps its picks when a loop is refused and stores the fixed set", async ({ browser }) => {
  const [ci, loop, other] = await freshCis(3);
  await query(`INSERT INTO ci_dependencies (ci_id, depends_on_id) VALUES ($1, $2)`, [loop!.id, ci!.id]);
  const page = await as(browser, "admin");
  await page.goto(`/admin/cis/${ci!.id}`);
  const form = formOf(page, "Save dependencies");
  const chosen = form.getByRole("list", { name: "Chosen: Depends on" });
  await pick(form, loop!.name);
  await pick(form, other!.name);
  await form.getByRole("button", { name: "Save dependencies" }).click();
  await expect(form.getByText("This choice would make a dependency loop.")).toBeVisible();
  await expect(chosen.getByRole("listitem")).toHaveText([new RegExp(`^${loop!.name}`), new RegExp(`^${other!.name}`)]);
  await form.getByRole("button", { name: `Remove ${loop!.name}` }).click();
  await form.getByRole("button", { name: "Save dependencies" }).click();
  await expect(form.getByRole("status")).toBeVisible();
  const rows = await query(`SELECT d.name FROM ci_dependencies x JOIN configuration_items d ON d.id = x.depends_on_id WHERE x.ci_id = $1`, [
    ci!.id,
  ]);
  expect(rows).toEqual([{ name: other!.name }]);
});

test("the maintenance-window form keeps its weekday, start and length on refusal", async ({ browser }) => {
  const [ci] = await freshCis(1);
  const page = await as(browser, "admin");
  await page.goto(`/admin/cis/${ci!.id}`);
  const form = formOf(page, "Add maintenance window");
  await form.getByLabel("Weekday").selectOption({ label: "Tuesday" });
  await form.getByLabel("Starts (UTC)").fill("03:30");
  await form.getByLabel("Hours").fill("0");
  await form.getByRole("button", { name: "Add maintenance window" }).click();
  await expect(form.getByText("At least a quarter of an hour.")).toBeVisible();
  await expect(form.getByLabel("Weekday")).toHaveValue("2");
  await expect(form.getByLabel("Starts (UTC)")).toHaveValue("03:30");
  await expect(form.getByLabel("Hours")).toHaveValue("0");
  await form.getByLabel("Hours").fill("1.5");
  await form.getByRole("button", { name: "Add maintenance window" }).click();
  await expect(form.getByRole("status")).toBeVisible();
  const rows = await query(`SELECT weekday, start_minute, duration_minutes FROM maintenance_windows WHERE ci_id = $1`, [ci!.id]);
  expect(rows).toEqual([{ weekday: 2, start_minute: 210, duration_minutes: 90 }]);
});

test("the template form keeps its risk ceiling and CIs on refusal and stores what was chosen", async ({ browser }) => {
  const page = await as(browser, "admin");
  await page.goto("/admin/templates/new");
  const texts = {
    Description: "Renew a certificate that expires within 30 days.",
    "Implementation plan": "Issue, install, reload the listener.",
    "Backout plan": "Reinstall the previous certificate.",
    "Test plan": "Check the served chain and expiry.",
  };
  for (const [name, value] of Object.entries(texts)) await label(page, name).fill(value);
  await label(page, "Risk ceiling").selectOption("medium");
  const cis = ["staging-web", "build-runner"];
  for (const ci of cis) await pick(page, ci);
  await page.getByRole("button", { name: "Propose template" }).click();
  await expect(label(page, "Title")).toHaveAttribute("aria-invalid", "true");
  for (const [name, value] of Object.entries(texts)) await expect(label(page, name), name).toHaveValue(value);
  await expect(label(page, "Risk ceiling")).toHaveValue("medium");
  const chosen = page.getByRole("list", { name: "Chosen: Configuration items it may touch" });
  await expect(chosen.getByRole("listitem")).toHaveText(cis.map((ci) => new RegExp(`^${ci}`)));
  const title = `Renew a certificate ${Date.now().toString(36)}`;
  await label(page, "Title").fill(title);
  await page.getByRole("button", { name: "Propose template" }).click();
  await expect(page).toHaveURL(/\/admin\/templates\/[0-9a-f-]+\?proposed=1/);
  const [template] = await query(
    `SELECT t.description, t.implementation_plan, t.backout_plan, t.test_plan, t.risk_ceiling::text, t.status::text,
            (SELECT array_agg(ci.name ORDER BY ci.name) FROM template_cis tc JOIN configuration_items ci ON ci.id = tc.ci_id WHERE tc.template_id = t.id) AS cis
       FROM change_templates t WHERE t.title = $1`,
    [title],
  );
  expect(template).toEqual({
    description: texts.Description,
    implementation_plan: texts["Implementation plan"],
    backout_plan: texts["Backout plan"],
    test_plan: texts["Test plan"],
    risk_ceiling: "medium",
    status: "proposed",
    cis: [...cis].sort(),
  });
});

test("the reset-password form keeps the typed password on refusal and stores the fixed one", async ({ browser }) => {
  const user = await createUser(["requester"]);
  const [{ id }] = (await query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [user.email])) as [{ id: string }];
  const page = await as(browser, "admin");
  await page.goto(`/admin/users/${id}`);
  const field = label(page, "New temporary password");
  await field.fill("too-short");
  await page.getByRole("button", { name: "Set temporary password" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveValue("too-short");
  await field.fill("too-short-no-longer");
  await page.getByRole("button", { name: "Set temporary password" }).click();
  await expect(page.getByText("Temporary password set.")).toBeVisible();
  const [row] = await query<{ password_hash: string; must_change_password: boolean }>(
    `SELECT password_hash, must_change_password FROM users WHERE id = $1`,
    [id],
  );
  expect(row!.must_change_password).toBe(true);
  expect(await verifyPassword(row!.password_hash, "too-short-no-longer")).toBe(true);
});

test("the change-password form keeps the three passwords on refusal and stores the fixed one", async ({ browser }) => {
  const user = await createUser(["requester"]);
  const page = await browser.newPage();
  await signInAndWait(page, user.email, user.password);
  await page.goto("/account/password");
  const fields = {
    "Current password": user.password,
    "New password": "a brand new passphrase",
    "Repeat the new password": "a brand new passphrase!",
  };
  for (const [name, value] of Object.entries(fields)) await label(page, name).fill(value);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The two new passwords differ.")).toBeVisible();
  for (const [name, value] of Object.entries(fields)) await expect(label(page, name), name).toHaveValue(value);
  await label(page, "Repeat the new password").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/password=changed/);
  const [row] = await query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = $1`, [user.email]);
  expect(await verifyPassword(row!.password_hash, "a brand new passphrase")).toBe(true);
});

// The freeze covers only an environment of the test's own, so no other test's change meets it.
test.describe.serial("the freeze forms", () => {
  const environment = `refusal-${Date.now().toString(36)}`;
  const reason = `Refusal test freeze ${environment}`;

  test("the freeze form keeps its times, scope and environments on refusal and stores what was chosen", async ({ browser }) => {
    const page = await as(browser, "admin");
    await page.goto("/admin/freezes");
    const form = formOf(page, "Create freeze window");
    const [starts, ends] = [localInput(2, 0), localInput(5, 0)];
    await form.getByLabel("Starts").fill(starts);
    await form.getByLabel("Ends").fill(ends);
    await form.getByLabel("Covers").selectOption("environments");
    await form.getByLabel("Environments").fill(environment);
    await form.getByRole("button", { name: "Create freeze window" }).click();
    await expect(form.getByLabel("Reason")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("Starts")).toHaveValue(starts);
    await expect(form.getByLabel("Ends")).toHaveValue(ends);
    await expect(form.getByLabel("Covers")).toHaveValue("environments");
    await expect(form.getByLabel("Environments")).toHaveValue(environment);
    await form.screenshot({ path: `${SCREENSHOTS}/form-refusal-freeze.png` });
    await form.getByLabel("Reason").fill(reason);
    await form.getByRole("button", { name: "Create freeze window" }).click();
    await expect(page).toHaveURL(/created=1/);
    const rows = await query<{ starts_at: Date; ends_at: Date }>(
      `SELECT starts_at, ends_at, scope::text, environments, tags FROM freeze_windows WHERE reason = $1`,
      [reason],
    );
    expect(rows.map((r) => ({ ...r, starts_at: r.starts_at.toISOString(), ends_at: r.ends_at.toISOString() }))).toEqual([
      { starts_at: `${starts}:00.000Z`, ends_at: `${ends}:00.000Z`, scope: "environments", environments: [environment], tags: [] },
    ]);
  });

  test("the freeze-exception form keeps its reason on refusal and stores the fixed one", async ({ browser }) => {
    const [ci] = await freshCis(1, environment);
    const requester = await as(browser, "requester");
    const path = await fileAndSubmit(requester, { title: `Inside the freeze ${environment}`, ci: ci!.name });
    const form = formOf(requester, "Ask for a freeze exception");
    const tooLong = "y".repeat(2_001);
    await form.getByLabel("Why it cannot wait until the freeze ends").fill(tooLong);
    await form.getByRole("button", { name: "Ask for a freeze exception" }).click();
    await expect(form.getByText("Use at most 2,000 characters.")).toBeVisible();
    await expect(form.getByLabel("Why it cannot wait until the freeze ends")).toHaveValue(tooLong);
    await form.getByLabel("Why it cannot wait until the freeze ends").fill("The certificate expires inside the freeze.");
    await Promise.all([
      requester.waitForURL(/done=exception_requested/),
      form.getByRole("button", { name: "Ask for a freeze exception" }).click(),
    ]);
    const rows = await query(`SELECT reason FROM freeze_exceptions WHERE change_id = $1`, [path.split("/")[2]]);
    expect(rows).toEqual([{ reason: "The certificate expires inside the freeze." }]);
  });
});
