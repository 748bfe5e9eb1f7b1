import { query } from "./support/database";
import { SCREENSHOTS, signInAndWait } from "./support/session";
import { expect, test } from "./support/test";

// The change page lists the deployments pipelines reported for the change, each authorized or
// not with its reasons; the change form offers the pipeline setting.

test("a change page lists its deployments, and the form offers the pipeline setting", async ({ page }) => {
  const [change] = await query<{ id: string; ci_id: string; ci_name: string; requester_id: string }>(
    `SELECT c.id, ci.id AS ci_id, ci.name AS ci_name, c.requester_id FROM change_requests c
       JOIN change_cis x ON x.change_id = c.id JOIN configuration_items ci ON ci.id = x.ci_id
      WHERE c.state = 'scheduled' ORDER BY c.number LIMIT 1`,
  );
  expect(change, "the demo has a scheduled change").toBeDefined();
  const run = `https://ci.example.test/runs/e2e-${Date.now()}`;
  const insert = (digest: string, step: string, authorized: boolean, reasons: unknown[]) =>
    query(
      `INSERT INTO deployments (environment, ci_id, ci_name, digests, status, started_at, pipeline_run_url, pipeline_step,
         reported_by_id, change_id, authorized, unauthorized_reason, reasons)
       VALUES ('production', $1, $2, $3, 'succeeded', now(), $4, $5, $6, $7, $8, $9, $10)`,
      [
        change!.ci_id,
        change!.ci_name,
        [digest],
        run,
        step,
        change!.requester_id,
        change!.id,
        authorized,
        authorized ? null : "digest_not_approved",
        JSON.stringify(reasons),
      ],
    );
  await insert(`sha256:${"a".repeat(64)}`, "deploy", true, []);
  const why = `This change does not approve the digest sha256:${"b".repeat(64)}.`;
  await insert(`sha256:${"b".repeat(64)}`, "hotfix", false, [{ code: "digest_not_approved", message: why }]);

  await signInAndWait(page, "manager@demo.local");
  await page.goto(`/changes/${change!.id}`);
  const panel = page.getByRole("region", { name: "Deployments" });
  await expect(panel.getByTestId("deployment")).toHaveCount(2);
  await expect(panel.getByText("Unauthorized")).toBeVisible();
  await expect(panel.getByText("Authorized", { exact: true })).toBeVisible();
  await expect(panel.getByText(why)).toBeVisible();
  await expect(panel.getByText(`Pipeline run ${run} (hotfix)`)).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/change-deployments.png`, fullPage: true });

  await page.goto("/changes/new");
  await expect(page.getByRole("checkbox", { name: /Let its pipeline's deployments start it/ })).toBeVisible();
});
