import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../../prisma/seed/demo-users";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, baseURL?: string) {
  await page.goto(`${baseURL ?? ""}/signin`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signInAndWait(page: Page, email: string, password = DEMO_PASSWORD) {
  await signIn(page, email, password);
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
}

export const SCREENSHOTS = "tests/e2e/.artifacts";
