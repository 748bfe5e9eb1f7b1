import { expect, test } from "./support/test";
import { navigationFor } from "../../lib/domain/navigation";
import { DEMO_USERS } from "../../prisma/seed/demo-users";
import { signInAndWait } from "./support/session";

// Each demo role signs in, sees exactly the pages its roles allow, and signs out.
for (const user of DEMO_USERS) {
  test(`${user.email} (${user.roles.join(", ")}) signs in, sees its navigation and signs out`, async ({ page }) => {
    await signInAndWait(page, user.email);
    await expect(page.getByTestId("signed-in-user")).toHaveText(user.name);
    const nav = page.getByRole("navigation", { name: "Main" });
    const expected = ["Home", ...navigationFor(user.roles).map((i) => i.label)];
    await expect(nav.getByRole("link")).toHaveText(expected);

    // Every page in the navigation opens for this user (none gives 403).
    for (const item of navigationFor(user.roles)) {
      const response = await page.goto(item.href);
      expect(response?.status(), item.href).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(item.label);
    }

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
  });
}
