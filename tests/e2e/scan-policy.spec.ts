// The admin's scan policy form: a refusal keeps every typed value, a valid save shows on the page
// and in the database, and a stored known-exploited limit above 0 shows (and saves back) as it is.
import type { Locator } from "@playwright/test";
import { query } from "./support/database";
import { expect, test } from "./support/test";
import { SCREENSHOTS, signInAndWait } from "./support/session";

const NUMBER = "Give a whole number of findings, or leave it blank for no limit.";
const field = (rule: Locator, name: string) => rule.getByLabel(name, { exact: true });

test("the scan policy form keeps its values on refusal, saves the fixed rule, and shows it back as stored", async ({ page }) => {
  test.setTimeout(90_000);
  // The policy is one app setting the whole suite judges changes by: put back what was there.
  const [before] = await query<{ value: unknown }>(`SELECT value FROM app_settings WHERE key = 'scan_policy'`);
  // An environment no CI has, so the other specs' changes are judged as before while it stands.
  const environment = `e2e-${Date.now().toString(36)}`;
  try {
    await signInAndWait(page, "admin@demo.local");
    await page.goto("/admin/scan-policy");
    // The stored rules, then two spare rows; the first spare is "New rule n" until its environment is filled in.
    const count = await page.getByRole("group", { name: /rule \d+$/i }).count();
    const rule = page.getByRole("group", { name: new RegExp(`rule ${count - 1}$`, "i") });
    await expect(rule.locator("legend")).toHaveText(`New rule ${count - 1}`);
    const typed = {
      Environment: environment,
      "Critical findings, at most": "a few",
      "High, at most": "4",
      "Medium, at most": "",
      "Low, at most": "250",
      "Known-exploited, at most": "2",
    };
    for (const [name, value] of Object.entries(typed)) await field(rule, name).fill(value);
    await field(rule, "CI criticality, at least").selectOption("3");
    await field(rule, "A scan summary is required").uncheck();
    await page.getByRole("button", { name: "Save scan policy" }).click();

    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Check the highlighted fields.");
    await expect(field(rule, "Critical findings, at most")).toHaveAttribute("aria-invalid", "true");
    await expect(field(rule, "Critical findings, at most")).toHaveAccessibleDescription(NUMBER);
    for (const [name, value] of Object.entries(typed)) await expect(field(rule, name), name).toHaveValue(value);
    await expect(field(rule, "CI criticality, at least")).toHaveValue("3");
    await expect(field(rule, "A scan summary is required")).not.toBeChecked();
    await page.screenshot({ path: `${SCREENSHOTS}/scan-policy-refused.png`, fullPage: true });
    expect(JSON.stringify(await query(`SELECT value FROM app_settings WHERE key = 'scan_policy'`))).not.toContain(environment);

    await field(rule, "Critical findings, at most").fill("1");
    await page.getByRole("button", { name: "Save scan policy" }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText("The scan policy is saved. Changes are judged by it from now on.");
    const [saved] = await query<{ value: { rules: Record<string, unknown>[] } }>(
      `SELECT value FROM app_settings WHERE key = 'scan_policy'`,
    );
    expect(saved!.value.rules.find((r) => r.environment === environment)).toEqual({
      environment,
      minCriticality: 3,
      maxCritical: 1,
      maxHigh: 4,
      maxMedium: null,
      maxLow: 250,
      maxKnownExploited: 2,
      requireScan: false,
    });

    // Drawn afresh from what is stored: the table and the form both say 2 known-exploited findings.
    await page.reload();
    const row = page.getByRole("region", { name: "Scan policy rules" }).getByRole("row").filter({ hasText: environment });
    await expect(row.getByRole("cell")).toHaveText([environment, "3 or more", "1", "4", "any", "250", "2", "no", /.+/]);
    const shown = page.getByRole("group", { name: `Rule ${count - 1}`, exact: true });
    await expect(field(shown, "Environment")).toHaveValue(environment);
    await expect(field(shown, "Known-exploited, at most")).toHaveValue("2");
    await expect(field(shown, "A scan summary is required")).not.toBeChecked();
    // Saved untouched, the stored policy is unchanged.
    await page.getByRole("button", { name: "Save scan policy" }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText("The scan policy is unchanged.");
    await page.screenshot({ path: `${SCREENSHOTS}/scan-policy-saved.png`, fullPage: true });
  } finally {
    if (before) await query(`UPDATE app_settings SET value = $1 WHERE key = 'scan_policy'`, [JSON.stringify(before.value)]);
    else await query(`DELETE FROM app_settings WHERE key = 'scan_policy'`);
  }
});
