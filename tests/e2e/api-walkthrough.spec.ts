import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "./support/test";
import { SCREENSHOTS, signInAndWait } from "./support/session";

// The README's REST API walk-through, run as written (only the two lines it asks the reader to
// fill in are filled in) with bash and curl against the test server, with a token made in the UI;
// then the change it filed is on its page, submitted.

const run = promisify(execFile);

/** The first sh block under the walk-through's heading, exactly as the README has it. */
async function walkThrough(): Promise<string> {
  const readme = await readFile("README.md", "utf8");
  const section = readme.split("#### Walk-through: file a draft, submit it, follow it")[1];
  const block = section && /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error("README.md has no walk-through block under its heading.");
  return block;
}

/** The block with the reader's own values on the lines that declare them; every other line as written. */
function fillIn(block: string, values: Record<"BASE" | "TOKEN", string>): string {
  let filled = block;
  for (const [name, value] of Object.entries(values)) {
    const declaration = new RegExp(`^${name}=.*$`, "m");
    expect(block, `the walk-through declares ${name}`).toMatch(declaration);
    filled = filled.replace(declaration, `${name}=${value}`);
  }
  return filled;
}

test("the README's curl walk-through files and submits a draft with a token made in the UI", async ({ page, baseURL }) => {
  await signInAndWait(page, "requester@demo.local");
  await page.goto("/account/tokens");
  await page.getByLabel("Token name").fill("README walk-through");
  await page.getByRole("checkbox", { name: /changes:read/ }).check();
  await page.getByRole("checkbox", { name: /changes:write/ }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^ccp_/);

  const block = await walkThrough();
  const script = fillIn(block, { BASE: `${baseURL}/api/v1`, TOKEN: token });
  expect(script.split("\n").length).toBe(block.split("\n").length);
  const dir = await mkdtemp(join(tmpdir(), "api-walkthrough-"));
  try {
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script], { cwd: dir, timeout: 60_000 });
    const change = JSON.parse(await readFile(join(dir, "change.json"), "utf8"));
    expect(change).toMatchObject({ state: "submitted", title: "Rotate the edge TLS certificates", cis: [expect.anything()] });
    // What the reader sees: step 2's summary, step 3's follow-up, and the 304 of an unchanged change.
    expect(stdout).toContain(`"reference": "${change.reference}"`);
    expect(stdout).toContain('"state": "submitted"');
    expect(stdout).toContain('"change.submitted"');
    expect(stdout.trim().split("\n").at(-1)).toBe("304");

    // The change page shows what the token did, in the token owner's name.
    await page.goto(`/changes/${change.id}`);
    await expect(page.getByRole("heading", { name: "Rotate the edge TLS certificates", level: 1 })).toBeVisible();
    await expect(page.getByRole("main").getByText("Submitted", { exact: true }).first()).toBeVisible();
    await expect(page.getByText(change.reference).first()).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/api-walkthrough-change.png`, fullPage: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
