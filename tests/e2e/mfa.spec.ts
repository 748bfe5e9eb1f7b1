import type { BrowserContext, Page } from "@playwright/test";
import { decode, encode } from "next-auth/jwt";
import { generate } from "otplib";
import { loadLocalSecrets } from "../../scripts/lib/local-secrets";
import { as, fileAndSubmit, toAuthorization } from "./support/change-ui";
import { createUser, query } from "./support/database";
import { SCREENSHOTS, signIn, signInAndWait } from "./support/session";
import { expect, test } from "./support/test";

// A CAB member sets up an authenticator app (the test computes its codes with otplib), signs in
// with a code, and votes after the sign-in went stale: the step-up prompt appears in the vote's
// own form, what was typed stays, and the vote completes with the code.

const SECRET = process.env.AUTH_SECRET || loadLocalSecrets().authSecret;
const COOKIE = "next-auth.session-token";
const seconds = () => Math.floor(Date.now() / 1000);

/** A code of a later 30-second step than the last one used (a used step's code is refused). */
async function freshCode(secret: string, after: number): Promise<{ code: string; step: number }> {
  while (Math.floor(seconds() / 30) <= after) await new Promise((resolve) => setTimeout(resolve, 500));
  const step = Math.floor(seconds() / 30);
  return { code: await generate({ secret, epoch: seconds() }), step };
}

/** As if the sign-in happened `minutes` ago: the controlled clock of a browser session is its cookie's authAt. */
async function ageSignIn(context: BrowserContext, minutes: number) {
  const cookie = (await context.cookies()).find((c) => c.name === COOKIE)!;
  const token = (await decode({ token: cookie.value, secret: SECRET }))!;
  const value = await encode({ token: { ...token, authAt: seconds() - minutes * 60 }, secret: SECRET });
  await context.addCookies([{ ...cookie, value }]);
}

async function enrol(page: Page): Promise<{ secret: string; step: number }> {
  await page.goto("/account/password");
  await page.getByRole("link", { name: "Two-step sign-in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Two-step sign-in" })).toBeVisible();
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const qr = page.getByRole("img", { name: /QR code/ });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
  await page.screenshot({ path: `${SCREENSHOTS}/mfa-enrolment.png`, fullPage: true });
  const { code, step } = await freshCode(secret, 0);
  await page.getByLabel("Code from the app").fill(code);
  await page.getByRole("button", { name: "Confirm and turn on" }).click();
  const codes = page.getByTestId("recovery-codes").getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await page.getByRole("link", { name: "I have kept them: done" }).click();
  await expect(page.getByTestId("totp-enrolled")).toContainText("10 of 10 recovery codes left");
  return { secret, step };
}

test("a CAB member enrols TOTP, signs in with a code, and votes after a step-up", async ({ browser }) => {
  test.setTimeout(240_000);
  const requester = await as(browser, "requester");
  const path = await fileAndSubmit(requester, { title: `Renew the edge proxy certificate ${Date.now().toString(36)}`, ci: "edge-proxy" });
  await toAuthorization(browser, path);

  const cab = await createUser(["cab_member"]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAndWait(page, cab.email, cab.password);
  const { secret, step: enrolled } = await enrol(page);

  // Sign-in now asks for the code after the password, keeping what was typed.
  await context.clearCookies();
  await signIn(page, cab.email, cab.password);
  const codeField = page.getByLabel("Authentication code");
  await expect(codeField).toBeVisible();
  await expect(page.getByLabel("Email address")).toHaveValue(cab.email);
  const signInCode = await freshCode(secret, enrolled);
  await codeField.fill(signInCode.code);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-user")).toBeVisible();

  // Twenty minutes later (STEP_UP_MINUTES is 15): the vote asks for a code in its own form.
  await ageSignIn(context, 20);
  await page.goto(path);
  const own = page
    .getByRole("region", { name: "Approvals" })
    .locator("form")
    .filter({ has: page.getByRole("group", { name: "Decision", exact: true }) });
  await own.getByRole("radio", { name: "Approve" }).check();
  await own.getByLabel("Comment").fill("Certificate chain checked.");
  await own.getByRole("button", { name: "Cast vote", exact: true }).click();
  const prompt = own.getByLabel("Authentication code");
  await expect(prompt).toBeVisible();
  await expect(own.getByRole("alert")).toContainText("Confirm it is you");
  await expect(own.getByLabel("Comment")).toHaveValue("Certificate chain checked.");
  await expect(own.getByRole("radio", { name: "Approve" })).toBeChecked();
  await page.screenshot({ path: `${SCREENSHOTS}/mfa-step-up.png`, fullPage: true });

  await prompt.fill((await freshCode(secret, signInCode.step)).code);
  await own.getByRole("button", { name: "Cast vote", exact: true }).click();
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Your vote is recorded." })).toBeVisible();

  const [event] = await query<{ after: { authentication?: { method: string; ageSeconds: number } } }>(
    `SELECT e.after FROM audit_events e JOIN users u ON u.id = e.actor_id WHERE u.email = $1 AND e.action = 'change.vote_cast'`,
    [cab.email],
  );
  expect(event?.after.authentication).toEqual({ method: "password+totp", ageSeconds: 0 });
  await context.close();
});
