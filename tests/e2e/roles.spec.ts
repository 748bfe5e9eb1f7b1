import { expect, test } from "./support/test";
import { DEMO_USERS } from "../../prisma/seed/demo-users";
import { signInAndWait } from "./support/session";

// What each demo account's navigation holds, written here rather than read from lib/domain/navigation.ts,
// so a change there that shows someone a page they should not have fails this test.
type Entry = [label: string, href: string];
const CALENDAR: Entry = ["Change calendar", "/calendar"];
const AUDIT: Entry[] = [
  ["Audit history", "/audit"],
  ["Verify audit log", "/audit/verify"],
  ["Exception reports", "/audit/reports"],
];
// Delegation: for those who may name a delegate (CAB members, security reviewers) or be one (change managers too).
const DELEGATION: Entry = ["Delegation", "/account/delegation"];
const ADMIN: Entry[] = [
  CALENDAR,
  ...AUDIT,
  ["Users", "/admin/users"],
  ["Single sign-on", "/admin/sso"],
  ["Service accounts", "/admin/service-accounts"],
  ["Configuration items", "/admin/cis"],
  ["Templates", "/admin/templates"],
  ["Freeze windows", "/admin/freezes"],
  ["Scan policy", "/admin/scan-policy"],
  ["Deliveries", "/admin/deliveries"],
  ["Dev mailbox", "/admin/mailbox"],
  ["Delegations", "/admin/delegations"],
  ["Reminders", "/admin/reminders"],
  ["Webhooks", "/admin/webhooks"],
];
const EXPECTED_NAVIGATION: Record<string, Entry[]> = {
  "requester@demo.local": [["New change", "/changes/new"], ["My changes", "/changes/mine"], CALENDAR],
  "manager@demo.local": [
    ["New change", "/changes/new"],
    ["My changes", "/changes/mine"],
    ["All changes", "/changes"],
    CALENDAR,
    ["Templates", "/admin/templates?status=proposed"],
    DELEGATION,
    ["Metrics", "/metrics"],
  ],
  "cab@demo.local": [CALENDAR, ["CAB queue", "/cab"], DELEGATION],
  "security@demo.local": [CALENDAR, ["Security review", "/security"], DELEGATION],
  "implementer@demo.local": [CALENDAR, ["My work", "/work"]],
  "auditor@demo.local": [["All changes", "/changes"], CALENDAR, ["Metrics", "/metrics"], ...AUDIT],
  "admin@demo.local": ADMIN,
  // The second admin, who approves what the first requests (two-person role grants).
  "admin2@demo.local": ADMIN,
  "lead@demo.local": [
    ["New change", "/changes/new"],
    ["My changes", "/changes/mine"],
    CALENDAR,
    ["CAB queue", "/cab"],
    ["My work", "/work"],
    DELEGATION,
  ],
};

// Each demo role signs in, sees exactly the pages its roles allow, and signs out.
for (const user of DEMO_USERS) {
  test(`${user.email} (${user.roles.join(", ")}) signs in, sees its navigation and signs out`, async ({ page }) => {
    await signInAndWait(page, user.email);
    await expect(page.getByTestId("signed-in-user")).toHaveText(user.name);
    const nav = page.getByRole("navigation", { name: "Main" });
    const items = EXPECTED_NAVIGATION[user.email];
    if (!items) throw new Error(`No expected navigation written for ${user.email}.`);
    const expected = ["Home", ...items.map(([label]) => label)];
    await expect(nav.getByRole("link")).toHaveText(expected);

    // Every page in the navigation opens for this user (none gives 403).
    for (const [label, href] of items) {
      const response = await page.goto(href);
      expect(response?.status(), href).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(label);
    }

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
  });
}
