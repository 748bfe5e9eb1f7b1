import type { Locator, Page } from "@playwright/test";
import { act, as, toAuthorization } from "./support/change-ui";
import { query } from "./support/database";
import { SCREENSHOTS } from "./support/session";
import { expect, test } from "./support/test";

// Chromium's date-and-time input takes its segment order from the locale: month/day/year here.
test.use({ locale: "en-US", timezoneId: "UTC" });

type Look = { outline: string; shadow: string };
const look = (target: Locator): Promise<Look> =>
  target.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      outline: s.outlineStyle === "none" || s.outlineWidth === "0px" ? "none" : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
      shadow: s.boxShadow,
    };
  });

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, failing when it never does; when
 * `visible`, checks the focused element shows it: an outline, or a ring its unfocused look lacks.
 */
async function tabTo(page: Page, target: Locator, { back = false, visible = false, max = 80 } = {}) {
  const unfocused = visible ? await look(target) : null;
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    if (await target.evaluate((el) => el === document.activeElement)) {
      if (unfocused) {
        const focused = await look(target);
        const shows = focused.outline !== "none" || focused.shadow !== unfocused.shadow;
        expect(shows, `focus indicator on ${target}: ${JSON.stringify({ unfocused, focused })}`).toBe(true);
      }
      return;
    }
  }
  throw new Error(`${max} presses of Tab never reached ${target}`);
}

const focused = (target: Locator) => expect(target).toBeFocused();

/** "MMDDYYYY" and "hhmm" with A or P (UTC) for a day `days` ahead, as typed into the date-and-time input. */
function typed(days: number, hour: number) {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${d.getUTCFullYear()}`,
    time: `${pad(hour % 12 || 12)}00${hour < 12 ? "A" : "P"}`,
    iso: `${d.toISOString().slice(0, 10)}T${pad(hour)}:00:00.000Z`,
  };
}

test("a requester files a change and a CAB member votes with the keyboard alone, focus always visible", async ({ browser }) => {
  test.setTimeout(180_000);
  // edge-proxy is internet-facing: medium risk, so CAB members vote.
  const title = `Rotate the edge proxy signing keys ${Date.now().toString(36)}`;
  const requester = await as(browser, "requester");
  await requester.goto("/changes/new");
  const main = requester.getByRole("main");

  // From the top of the page: the first link of the page takes a visible focus.
  await tabTo(requester, requester.getByRole("link").first(), { visible: true });

  // The type radios: Tab lands on the chosen one, the arrows move the choice.
  const normal = main.getByRole("radio", { name: /^Normal/ });
  const standard = main.getByRole("radio", { name: /^Standard/ });
  await tabTo(requester, normal, { visible: true });
  await requester.keyboard.press("ArrowDown");
  await expect(standard).toBeChecked();
  await expect(main.getByLabel("Template", { exact: true })).toBeVisible();
  await requester.keyboard.press("ArrowUp");
  await expect(normal).toBeChecked();
  await focused(normal);

  await tabTo(requester, main.getByLabel("Title", { exact: true }), { visible: true });
  await requester.keyboard.type(title);
  await requester.keyboard.press("Tab");
  await focused(main.getByLabel("Description", { exact: true }));
  await requester.keyboard.type("Rotate the edge proxy's TLS signing keys.");
  await requester.keyboard.press("Tab");
  await focused(main.getByLabel("Business justification", { exact: true }));
  await requester.keyboard.type("The keys expire next month.");

  // The configuration item picker: type, Tab to the match's Add button, Enter.
  await tabTo(requester, main.getByLabel("Search configuration items", { exact: true }), { visible: true });
  await requester.keyboard.type("edge-proxy");
  const add = main.getByRole("button", { name: "Add edge-proxy", exact: true });
  await expect(add).toBeVisible();
  await tabTo(requester, add, { visible: true });
  await requester.keyboard.press("Enter");
  await expect(main.getByRole("list", { name: /^Chosen/ }).getByText("edge-proxy")).toBeVisible();

  const start = typed(4, 9);
  const end = typed(4, 10);
  await tabTo(requester, main.getByLabel("Planned start", { exact: true }), { visible: true });
  await requester.keyboard.type(start.date);
  await requester.keyboard.press("Tab");
  await requester.keyboard.type(start.time);
  await tabTo(requester, main.getByLabel("Planned end", { exact: true }));
  await requester.keyboard.type(end.date);
  await requester.keyboard.press("Tab");
  await requester.keyboard.type(end.time);

  await tabTo(requester, main.getByLabel("Implementation plan", { exact: true }));
  await requester.keyboard.type("Generate new keys; roll the proxies one by one.");
  await requester.keyboard.press("Tab");
  await requester.keyboard.type("Put the previous keys back from the vault.");
  const tested = main.getByLabel("The backout plan was tested (rehearsed)", { exact: true });
  await tabTo(requester, tested, { visible: true });
  await requester.keyboard.press("Space");
  await expect(tested).toBeChecked();
  // Past the release practices (rollback criteria, the version replaced) to the test plan.
  await tabTo(requester, main.getByLabel("Test plan", { exact: true }), { visible: true });
  await requester.keyboard.type("TLS handshake and latency checks.");

  const touchesAuth = main.getByLabel("Touches authentication or access control", { exact: true });
  await tabTo(requester, touchesAuth, { visible: true });
  await requester.keyboard.press("Space");
  await expect(touchesAuth).toBeChecked();

  const save = main.getByRole("button", { name: "Save draft" });
  await tabTo(requester, save, { visible: true });
  await requester.screenshot({ path: `${SCREENSHOTS}/keyboard-new-change.png`, fullPage: true });
  await requester.keyboard.press("Enter");
  await expect(requester.getByRole("heading", { level: 1, name: title })).toBeVisible();

  const [stored] = await query<{
    type: string;
    touches_auth: boolean;
    backout_tested: boolean;
    planned_start: Date;
    planned_end: Date;
    ci: string;
    test_plan: string;
  }>(
    `SELECT c.type, c.touches_auth, c.backout_tested, c.planned_start, c.planned_end, c.test_plan, ci.name AS ci
       FROM change_requests c JOIN change_cis cc ON cc.change_id = c.id JOIN configuration_items ci ON ci.id = cc.ci_id WHERE c.title = $1`,
    [title],
  );
  expect(stored).toMatchObject({
    type: "normal",
    touches_auth: true,
    backout_tested: true,
    ci: "edge-proxy",
    test_plan: "TLS handshake and latency checks.",
  });
  expect(stored!.planned_start.toISOString()).toBe(start.iso);
  expect(stored!.planned_end.toISOString()).toBe(end.iso);

  await act(requester, "Submit");
  const path = new URL(requester.url()).pathname;
  await toAuthorization(browser, path);

  // The CAB member chooses Reject with the arrows (nothing is relied on being preselected), explains, and casts.
  const cab = await as(browser, "cab");
  await cab.goto(path);
  const approvals = cab.getByRole("region", { name: "Approvals" });
  const choice = (name: string) => approvals.getByRole("radio", { name, exact: true });
  await tabTo(cab, choice("Approve"), { visible: true });
  await cab.keyboard.press("ArrowDown");
  await expect(choice("Reject")).toBeChecked();
  await cab.keyboard.press("ArrowDown");
  await expect(choice("Abstain")).toBeChecked();
  await cab.keyboard.press("ArrowUp");
  await expect(choice("Reject")).toBeChecked();
  await expect(choice("Approve")).not.toBeChecked();
  await tabTo(cab, approvals.getByLabel("Comment"), { visible: true });
  await cab.keyboard.type("The proxies need a maintenance window first.");
  const cast = approvals.getByRole("button", { name: "Cast vote" });
  await tabTo(cab, cast, { visible: true });
  await cab.keyboard.press("Enter");
  await expect(cab.getByRole("main").getByRole("status").filter({ hasText: "Your vote is recorded." })).toBeVisible();

  const votes = await query<{ decision: string; comment: string; role: string }>(
    `SELECT v.decision, v.comment, v.role FROM votes v JOIN change_requests c ON c.id = v.change_id JOIN users u ON u.id = v.voter_id
      WHERE c.title = $1 AND u.email = 'cab@demo.local'`,
    [title],
  );
  expect(votes).toEqual([{ decision: "reject", comment: "The proxies need a maintenance window first.", role: "cab_member" }]);
});
