// Issue 29 item 1: a refused form comes back with every field as the user left it, and what is
// saved after fixing the one error is exactly what was chosen (not a reset radio or checkbox).
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { query } from "./support/database";
import { act, as, startEarly, fileAndSubmit, localInput, toAuthorization, vote } from "./support/change-ui";
import { SCREENSHOTS } from "./support/session";

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
  digest: string;
  expires: string;
};


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
  await label(page, "Artifact digest").fill(choice.digest);
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
  await expect(label(page, "Artifact digest")).toHaveValue(choice.digest);
  await expect(label(page, "Temporary access expires")).toHaveValue(choice.expires);
}

type Stored = Record<string, unknown> & { framework_tags: string[]; cis: string[] };

async function stored(id: string): Promise<Stored> {
  const [row] = await query<Stored>(
    `SELECT c.type::text, c.title, c.description, c.justification, c.implementation_plan, c.backout_plan, c.test_plan, c.backout_tested,
            c.emergency_justification, c.planned_start, c.planned_end, c.new_external_interface, c.touches_auth, c.regulated_data,
            c.framework_tags, c.infra_provisioning, c.release_artifact, c.artifact_digest, c.temporary_access, c.access_expires_at,
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
    type: row.type, title: row.title, description: row.description, justification: row.justification,
    implementationPlan: row.implementation_plan, backoutPlan: row.backout_plan, testPlan: row.test_plan, backoutTested: row.backout_tested,
    emergencyJustification: row.emergency_justification, plannedStart: (row.planned_start as Date).toISOString(), plannedEnd: (row.planned_end as Date).toISOString(),
    newExternalInterface: row.new_external_interface, touchesAuth: row.touches_auth, regulatedData: row.regulated_data, frameworkTags: [...row.framework_tags].sort(),
    infraProvisioning: row.infra_provisioning, releaseArtifact: row.release_artifact, artifactDigest: row.artifact_digest, temporaryAccess: row.temporary_access,
    accessExpiresAt: (row.access_expires_at as Date).toISOString(), cis: row.cis, cves: row.cves,
  }).toEqual({
    type: choice.type.toLowerCase(), title, description: choice.texts.Description, justification: choice.texts["Business justification"],
    implementationPlan: choice.texts["Implementation plan"], backoutPlan: choice.texts["Backout plan"], testPlan: choice.texts["Test plan"], backoutTested: choice.backoutTested,
    emergencyJustification: choice.type === "Emergency" ? choice.texts["Emergency justification"] : null, plannedStart: utc(choice.start), plannedEnd: utc(choice.end),
    newExternalInterface: choice.flags.newExternalInterface, touchesAuth: choice.flags.touchesAuth, regulatedData: choice.flags.regulatedData,
    frameworkTags: Object.entries({ "PCI DSS": "pci_dss", HIPAA: "hipaa", SOX: "sox", GDPR: "gdpr" }).filter(([name]) => choice.frameworks[name]).map(([, tag]) => tag).sort(),
    infraProvisioning: choice.flags.infraProvisioning, releaseArtifact: choice.flags.releaseArtifact, artifactDigest: choice.digest, temporaryAccess: choice.flags.temporaryAccess,
    accessExpiresAt: utc(choice.expires), cis: [...choice.cis].sort(), cves: choice.texts["CVE references"],
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
  },
  backoutTested: true,
  flags: { newExternalInterface: true, touchesAuth: true, regulatedData: true, infraProvisioning: true, releaseArtifact: true, temporaryAccess: true },
  frameworks: { "PCI DSS": true, HIPAA: false, SOX: false, GDPR: true },
  cis: ["auth-service", "edge-proxy"],
  start: localInput(2, 9),
  end: localInput(2, 10),
  digest: `sha256:${"ab12".repeat(16)}`,
  expires: localInput(3, 12),
};

test("the new-change form keeps every field on refusal and stores what was chosen", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await as(browser, "requester");
  await page.goto("/changes/new");
  await fill(page, emergency);
  const title = `Rotate identity keys ${Date.now().toString(36)}`;
  const id = await refuseThenSave(page, emergency, title, "form-refusal-new-change.png");
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
    },
    backoutTested: false,
    flags: { newExternalInterface: false, touchesAuth: true, regulatedData: true, infraProvisioning: false, releaseArtifact: true, temporaryAccess: true },
    frameworks: { "PCI DSS": false, HIPAA: true, SOX: true, GDPR: false },
    cis: ["dns"],
    start: localInput(5, 14),
    end: localInput(5, 16),
    digest: `sha256:${"cd34".repeat(16)}`,
    expires: localInput(6, 8),
  };
  await page.goto(`/changes/${id}/edit`);
  await fill(page, major);
  const title = `Move identity ${Date.now().toString(36)}`;
  await refuseThenSave(page, major, title);
  await expectStored(id, title, major);
});

test("the close-after-review form keeps its four checkboxes and notes on refusal", async ({ browser }) => {
  test.setTimeout(240_000);
  const requester = await as(browser, "requester");
  const title = `Raise the proxy cache ${Date.now().toString(36)}`;
  const path = await fileAndSubmit(requester, { title, ci: "edge-proxy" });
  const id = path.split("/")[2]!;
  const manager = await toAuthorization(browser, path);
  for (const who of ["cab", "lead"]) {
    const cab = await as(browser, who);
    await cab.goto(path);
    await vote(cab, "Approve", `Approved by ${who}.`);
  }
  await manager.reload();
  await manager.getByLabel("Implementer").selectOption({ label: "Ines Implementer" });
  await Promise.all([manager.waitForURL(/done=assigned/), manager.getByRole("button", { name: "Assign implementer" }).click()]);
  await act(manager, "Authorize and schedule");
  const implementer = await as(browser, "implementer");
  await implementer.goto(path);
  await act(implementer, "Start implementation", startEarly);
  await act(implementer, "Record outcome", async (form) => {
    await form.getByLabel("Outcome").selectOption({ label: "Successful" });
    await form.getByLabel("Notes and evidence").fill("Cache raised; hit rate up.");
  });

  await manager.reload();
  const form = manager.getByRole("region", { name: "What you can do" }).locator("details", { has: manager.locator("summary", { hasText: "Close after review…" }) });
  const ticked = ["Works as intended", "Security controls still in place", "Documentation updated"];
  for (const check of ticked) await form.getByLabel(check).check();
  await form.getByLabel("Review notes").fill("Hit rate up, no errors.");
  await form.getByRole("button", { name: "Close after review", exact: true }).click();
  await expect(form.getByText(/must confirm that monitoring/i)).toBeVisible();
  for (const check of ticked) await expect(form.getByLabel(check), check).toBeChecked();
  await expect(form.getByLabel("Monitoring covers the change")).not.toBeChecked();
  await expect(form.getByLabel("Review notes")).toHaveValue("Hit rate up, no errors.");

  await act(manager, "Close after review", async (panel) => {
    await panel.getByLabel("Monitoring covers the change").check();
  });
  const [review] = await query(
    `SELECT works_as_intended, security_controls_in_place, monitoring_covers, documentation_updated, notes FROM post_implementation_reviews WHERE change_id = $1`,
    [id],
  );
  expect(review).toEqual({ works_as_intended: true, security_controls_in_place: true, monitoring_covers: true, documentation_updated: true, notes: "Hit rate up, no errors." });
});

test("the vote form keeps a rejection on refusal and stores it once its reason is given", async ({ browser }) => {
  test.setTimeout(180_000);
  const requester = await as(browser, "requester");
  const path = await fileAndSubmit(requester, { title: `Widen the proxy timeouts ${Date.now().toString(36)}`, ci: "edge-proxy" });
  const id = path.split("/")[2]!;
  await toAuthorization(browser, path);
  const cab = await as(browser, "cab");
  await cab.goto(path);
  const approvals = cab.getByRole("region", { name: "Approvals" });
  await approvals.getByRole("radio", { name: "Reject" }).check();
  await approvals.getByRole("button", { name: "Cast vote" }).click();
  await expect(approvals.getByText("Give a reason for rejecting the change.")).toBeVisible();
  await expect(approvals.getByRole("radio", { name: "Reject" })).toBeChecked();
  await expect(approvals.getByRole("radio", { name: "Approve" })).not.toBeChecked();
  await approvals.getByLabel("Comment").fill("The rollback was never rehearsed.");
  await Promise.all([cab.waitForURL(/done=vote/), approvals.getByRole("button", { name: "Cast vote" }).click()]);
  const votes = await query(`SELECT v.decision::text, v.comment FROM votes v JOIN users u ON u.id = v.voter_id WHERE v.change_id = $1 AND u.email = 'cab@demo.local'`, [id]);
  expect(votes).toEqual([{ decision: "reject", comment: "The rollback was never rehearsed." }]);
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
  const [ci] = await query<{ tags: string[] }>(`SELECT type, environment, owner, criticality, exposure::text, tags FROM configuration_items WHERE name = $1`, [name]);
  expect({ ...ci, tags: [...ci!.tags].sort() }).toEqual({ type: "service", environment: "staging", owner: "Platform team", criticality: 3, exposure: "isolated", tags: ["edge", "pci"] });
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
  const rows = await query<{ name: string; role: string }>(`SELECT u.name, r.role::text FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.email = $1 ORDER BY r.role`, [email]);
  expect(rows).toEqual([{ name: "Refused Once", role: "cab_member" }, { name: "Refused Once", role: "security_reviewer" }]);
});
