import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { can } from "../../lib/domain/capabilities";
import { canViewChange } from "../../lib/domain/change-visibility";
import { navigationFor } from "../../lib/domain/navigation";
import type { Role } from "../../lib/domain/roles";
import { DEMO_USERS } from "../../prisma/seed/demo-users";
import { query } from "./support/database";
import { signInAndWait } from "./support/session";
import { expect, test } from "./support/test";

// WCAG 2.2 AA as axe-core tags it; best-practice rules are left out.
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const FAILING = new Set(["serious", "critical"]);

type Finding = { page: string; rule: string; impact: string; target: string; shell: boolean };

/** Runs axe on the page as it stands; each serious or critical node is one finding. */
async function scan(page: Page, label: string): Promise<Finding[]> {
  const { violations } = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .withTags(WCAG_TAGS)
    .options({ resultTypes: ["violations"] })
    .analyze();
  const failing = violations.flatMap((violation) =>
    violation.nodes
      .map((node) => ({
        rule: violation.id,
        impact: node.impact ?? violation.impact ?? "unknown",
        target: node.target.map(String).join(" "),
      }))
      .filter((node) => FAILING.has(node.impact)),
  );
  // The shell (header, navigation) is everything outside <main>; a page-wide rule targets <html>.
  const outside = await page.evaluate(
    (selectors) => selectors.map((s) => document.querySelector(s)?.closest("main") === null),
    failing.map((f) => f.target),
  );
  return failing.map((f, i) => ({ ...f, page: label, shell: outside[i]! }));
}

const line = (f: Finding) => `${f.shell ? "[shell] " : ""}${f.rule} (${f.impact}) ${f.target} on ${f.page}`;

function report(findings: Finding[]): string[] {
  const shell = findings.filter((f) => f.shell);
  if (shell.length)
    console.log(`Shell violations (header and navigation):\n${[...new Set(shell.map((f) => `${f.rule} ${f.target}`))].join("\n")}`);
  return findings.map(line);
}

type DemoChanges = { vote: string; checklist: string; implementing: string; closed: string; draft: string };

async function demoChanges(): Promise<DemoChanges> {
  const one = async (label: string, sql: string) => {
    const rows = await query<{ id: string }>(`${sql} ORDER BY c.number LIMIT 1`);
    if (!rows[0]) throw new Error(`No demo change ${label}`);
    return rows[0].id;
  };
  const requested = "c.requester_id = (SELECT id FROM users WHERE email = 'requester@demo.local')";
  return {
    // Awaiting votes and not yet voted on by the CAB member: the vote form shows.
    vote: await one(
      "awaiting a CAB vote",
      `SELECT c.id FROM change_requests c WHERE c.state = 'authorization' AND ${requested}
      AND NOT EXISTS (SELECT 1 FROM votes v JOIN users u ON u.id = v.voter_id WHERE v.change_id = c.id AND u.email = 'cab@demo.local')`,
    ),
    checklist: await one(
      "with pending checklist items",
      `SELECT c.id FROM change_requests c WHERE c.state = 'assessment' AND ${requested}
      AND EXISTS (SELECT 1 FROM checklist_items i WHERE i.change_id = c.id AND i.status = 'pending')`,
    ),
    implementing: await one("being implemented", `SELECT c.id FROM change_requests c WHERE c.state = 'implementing' AND ${requested}`),
    closed: await one("closed", `SELECT c.id FROM change_requests c WHERE c.state = 'closed' AND ${requested}`),
    draft: await one("in draft", `SELECT c.id FROM change_requests c WHERE c.state = 'draft' AND ${requested}`),
  };
}

async function firstId(table: string): Promise<string> {
  const rows = await query<{ id: string }>(`SELECT id FROM ${table} ORDER BY created_at LIMIT 1`);
  return rows[0]!.id;
}

/** Every main page this person may open, each once. */
async function pagesFor(roles: Role[], changes: DemoChanges): Promise<string[]> {
  const pages = ["/", ...navigationFor(roles).map((i) => i.href), "/notifications", "/account/password", "/account/sessions"];
  // Every demo change is the demo requester's, so they and every overseeing role may open it: each
  // opens one awaiting votes, and the states in which its own forms show (each state by someone).
  if (canViewChange({ id: "viewer", roles }, { requesterId: "someone else", implementerId: null }) || roles.includes("requester")) {
    const states = new Set([changes.vote]);
    const add = (role: Role, ...ids: string[]) => roles.includes(role) && ids.forEach((id) => states.add(id));
    add("requester", changes.closed);
    add("change_manager", changes.checklist, changes.implementing);
    add("security_reviewer", changes.checklist);
    add("implementer", changes.implementing);
    add("auditor", changes.closed);
    pages.push(...[...states].map((id) => `/changes/${id}`));
  }
  if (roles.includes("requester")) pages.push(`/changes/${changes.draft}/edit`);
  if (roles.includes("change_manager")) pages.push("/calendar?view=week", "/calendar?view=list");
  if (can(roles, "audit.read")) pages.push("/audit?view=changes", `/audit/changes/${changes.closed}`, "/audit/reports/waivers");
  if (can(roles, "audit.read")) pages.push("/audit/reports/unauthorized-deployments");
  if (can(roles, "config.manage")) {
    pages.push(
      "/admin/cis/new",
      `/admin/cis/${await firstId("configuration_items")}`,
      "/admin/templates/new",
      `/admin/templates/${await firstId("change_templates")}`,
      `/admin/freezes/${await firstId("freeze_windows")}`,
    );
  }
  if (can(roles, "users.manage")) pages.push("/admin/users/new", `/admin/users/${await firstId("users")}`, "/admin/role-requests");
  return pages;
}

async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // Hydrated: React has attached itself to the DOM, so client-only parts (date pickers) are drawn.
  await page.waitForFunction(() => Object.keys(document.querySelector("h1") ?? {}).some((k) => k.startsWith("__reactFiber")));
}

// The single-role demo accounts cover every role; one context each, every page once.
// A role's second demo account (the second admin) sees the same pages: scanned once.
// Each role's pages are split in halves, two tests the workers can share (an admin has dozens).
const HALVES = 2;
for (const user of DEMO_USERS.filter((u, i, all) => u.roles.length === 1 && all.findIndex((x) => x.roles[0] === u.roles[0]) === i)) {
  for (let half = 0; half < HALVES; half++) {
    test(`axe finds no serious or critical WCAG 2.2 AA violation on the pages of ${user.roles[0]} (${half + 1} of ${HALVES})`, async ({
      page,
    }) => {
      test.setTimeout(240_000);
      const changes = await demoChanges();
      await signInAndWait(page, user.email);
      const findings: Finding[] = [];
      const paths = (await pagesFor(user.roles, changes)).filter((_, i) => i % HALVES === half);
      for (const path of paths) {
        await visit(page, path);
        findings.push(...(await scan(page, path)));
      }
      if (can(user.roles, "audit.read") && half === HALVES - 1) {
        // Narrow, the evidence tables scroll sideways inside their own box: it must take the keyboard's focus.
        await page.setViewportSize({ width: 640, height: 900 });
        const path = `/audit/changes/${changes.closed}`;
        await visit(page, path);
        findings.push(...(await scan(page, `${path} at 640 px`)));
      }
      expect(report(findings), `serious or critical violations as ${user.email}`).toEqual([]);
    });
  }
}

test("axe finds no serious or critical WCAG 2.2 AA violation on the sign-in page", async ({ page }) => {
  await visit(page, "/signin");
  expect(report(await scan(page, "/signin"))).toEqual([]);
});
