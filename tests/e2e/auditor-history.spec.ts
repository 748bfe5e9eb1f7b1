import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { query } from "./support/database";
import { expect, test } from "./support/test";
import { SCREENSHOTS, signInAndWait } from "./support/session";

test("an auditor filters the history, exports CSV, and the file matches its manifest", async ({ page }) => {
  await signInAndWait(page, "auditor@demo.local");
  await page.goto("/audit");
  const search = page.getByRole("search", { name: "Search the history" });
  await search.getByLabel("Change type").selectOption("normal");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/type=normal/);
  const rows = page.getByRole("main").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  const shown = await rows.count();
  await page.screenshot({ path: `${SCREENSHOTS}/audit-history.png`, fullPage: true });

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const download = await downloading;
  const file = await readFile((await download.path())!);
  expect(download.suggestedFilename()).toMatch(/^changes-\d{8}T\d{6}Z\.csv$/);

  const saved = page.getByRole("status").filter({ hasText: "Saved" });
  await expect(saved).toBeVisible();
  const manifestUrl = await saved.getByRole("link", { name: "Download manifest" }).getAttribute("href");
  const manifest = await (await page.request.get(manifestUrl!)).json();

  const records = parse(file, { columns: true }) as Record<string, string>[];
  expect(records.length).toBe(manifest.rowCount);
  expect(createHash("sha256").update(file).digest("hex")).toBe(manifest.sha256);
  expect(manifest.filters).toEqual({ type: "normal" });
  expect(records.every((r) => r.type === "normal")).toBe(true);
  // The page shows one keyset page; the export holds every match.
  expect(records.length).toBeGreaterThanOrEqual(shown);
  expect(manifest.checkpoint.seq).toBe(manifest.chainHead.seq);
  await expect(saved).toContainText(manifest.sha256);
  await page.screenshot({ path: `${SCREENSHOTS}/audit-export-done.png` });
});

test("the evidence view of a closed demo change shows every section and its control mapping", async ({ page }) => {
  await signInAndWait(page, "auditor@demo.local");
  await page.goto("/audit?view=changes&state=closed");
  await page
    .getByRole("main")
    .getByRole("link", { name: /^Evidence for CHG-/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/audit\/changes\/[0-9a-f-]{36}$/);
  for (const heading of [
    "Framework requirements this record evidences",
    "Risk",
    "Approvals and votes",
    "Sign-offs and waivers",
    "Outcome and review",
    "What and why",
    "Plans",
    "Field changes",
    "Comments",
    "Audit events",
  ]) {
    await expect(page.getByRole("heading", { level: 2, name: heading, exact: true })).toBeVisible();
  }
  for (const control of [
    "NIST SP 800-53 CM-3",
    "NIST SP 800-53 CM-4",
    "NIST SP 800-53 CM-5",
    "ISO/IEC 27001:2022 A.8.32",
    "SOC 2 CC8.1",
    "PCI DSS 4.0 6.5.1",
    "PCI DSS 4.0 6.5.6",
  ]) {
    await expect(page.getByText(control, { exact: true })).toBeVisible();
  }
  await expect(page.getByRole("status").filter({ hasText: "was recomputed" })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/audit-evidence.png`, fullPage: true });
  await page
    .getByRole("region", { name: "Framework requirements this record evidences" })
    .screenshot({ path: `${SCREENSHOTS}/audit-evidence-controls.png` });
  await page.getByRole("region", { name: "Audit events" }).screenshot({ path: `${SCREENSHOTS}/audit-evidence-events.png` });

  // A waiver that lapsed after the change was done: waived when it counted, and the lapse shown.
  const [waived] = await query<{ id: string; change_id: string; lapsed: string }>(
    `SELECT i.id, i.change_id, to_char((c.implemented_at + interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS lapsed
       FROM checklist_items i JOIN change_requests c ON c.id = i.change_id
      WHERE i.status = 'waived' AND i.waiver_expires_at IS NULL AND c.state = 'closed' AND c.implemented_at < now() - interval '2 days'
      ORDER BY c.number LIMIT 1`,
  );
  expect(waived, "a closed demo change with a waiver").toBeDefined();
  await query(
    `UPDATE checklist_items SET waiver_expires_at = c.implemented_at + interval '1 day' FROM change_requests c WHERE c.id = change_id AND checklist_items.id = $1`,
    [waived!.id],
  );
  try {
    await page.goto(`/audit/changes/${waived!.change_id}`);
    const signOffs = page.getByRole("region", { name: "Checklist sign-offs" });
    await expect(signOffs).toContainText(`waived (lapsed on ${waived!.lapsed} UTC)`);
    await signOffs.screenshot({ path: `${SCREENSHOTS}/audit-evidence-lapsed-waiver.png` });
  } finally {
    await query(`UPDATE checklist_items SET waiver_expires_at = NULL WHERE id = $1`, [waived!.id]);
  }
});

test("a requester gets 403 on the auditor's pages and routes", async ({ page }) => {
  await signInAndWait(page, "requester@demo.local");
  for (const path of ["/audit", "/audit?view=events", "/audit/changes/00000000-0000-4000-8000-000000000000"]) {
    expect((await page.goto(path))?.status(), path).toBe(403);
  }
  for (const path of [
    "/api/exports/changes?format=csv",
    "/api/exports/events?format=jsonl",
    "/api/audit/export",
    "/api/exports/00000000-0000-4000-8000-000000000000/manifest",
  ]) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(403);
  }
});

test("an auditor picks a person and a CI by typing (keyboard and mouse) and the search keeps them", async ({ page }) => {
  await signInAndWait(page, "auditor@demo.local");
  await page.goto("/audit?view=events");
  const search = page.getByRole("search", { name: "Search the history" });

  const actor = search.getByRole("combobox", { name: "Actor" });
  await actor.fill("casey");
  await expect(search.getByRole("option", { name: "Casey Cab (cab@demo.local)" })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/audit-person-picker.png` });
  await actor.press("Enter");
  await expect(actor).toHaveValue("Casey Cab (cab@demo.local)");
  await expect(search.getByRole("listbox", { name: "Actor" })).toBeHidden();
  // With the list shut, Enter submits the form as it always did.
  await actor.press("Enter");
  await expect(page).toHaveURL(/actor=[0-9a-f-]{36}/);
  const actorCells = page.getByRole("main").locator("tbody tr td:nth-child(3)");
  await expect(actorCells.first()).toBeVisible();
  expect(new Set(await actorCells.allTextContents())).toEqual(new Set(["cab@demo.local"]));
  await expect(search.getByRole("combobox", { name: "Actor" })).toHaveValue("Casey Cab (cab@demo.local)");

  const ci = search.getByRole("combobox", { name: "Configuration item" });
  await ci.fill("EDGE");
  await search.getByRole("option", { name: "edge-proxy (production)" }).click();
  await expect(ci).toHaveValue("edge-proxy (production)");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/ci=[0-9a-f-]{36}/);
  await expect(page).toHaveURL(/actor=[0-9a-f-]{36}/);
  await expect(search.getByRole("combobox", { name: "Configuration item" })).toHaveValue("edge-proxy (production)");

  // A search that finds nobody says so; leaving the box keeps the person chosen before.
  await search.getByRole("combobox", { name: "Actor" }).fill("nobody-by-this-name");
  await expect(search.getByText("No person matches.")).toBeVisible();
  await search.getByRole("combobox", { name: "Configuration item" }).focus();
  await expect(search.getByRole("combobox", { name: "Actor" })).toHaveValue("Casey Cab (cab@demo.local)");

  await search.getByRole("button", { name: "Clear Actor" }).click();
  await expect(search.getByRole("combobox", { name: "Actor" })).toHaveValue("");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).not.toHaveURL(/actor=[0-9a-f]/);
  await expect(page).toHaveURL(/ci=[0-9a-f-]{36}/);
});
