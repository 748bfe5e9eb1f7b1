import { expect, test } from "./support/test";
import { createUser } from "./support/database";
import { signIn } from "./support/session";
import { E2E_PORTS } from "../support/e2e-ports";

// Two `next start` processes share one database: failures counted by one lock the account on the other.
test("five failed sign-ins on one app instance lock the account on the other", async ({ page }) => {
  const user = await createUser(["requester"]);
  const first = `http://localhost:${E2E_PORTS[0]}`;
  const second = `http://localhost:${E2E_PORTS[1]}`;
  for (let i = 0; i < 5; i++) {
    await signIn(page, user.email, `wrong password ${i}`, first);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("The email address or password is incorrect.");
  }
  await signIn(page, user.email, user.password, second);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/);
  await expect(page).toHaveURL(`${second}/signin`);
});
