import { describe, expect, it } from "vitest";
import { loadActor } from "@/lib/server/auth/current-actor";
import { createTestUser, testDb } from "../support/fixtures";

// Every request loads the user afresh: what an admin changes counts at the next request.
describe("the signed-in user, loaded per request", () => {
  it("carries the roles the database holds now", async () => {
    const user = await createTestUser({ roles: ["requester", "cab_member"] });
    expect((await loadActor(user.id))?.roles.sort()).toEqual(["cab_member", "requester"]);
    await testDb().userRole.delete({ where: { userId_role: { userId: user.id, role: "cab_member" } } });
    expect((await loadActor(user.id))?.roles).toEqual(["requester"]);
  });

  it("is gone at the next request once deactivated", async () => {
    const user = await createTestUser();
    expect(await loadActor(user.id)).not.toBeNull();
    await testDb().user.update({ where: { id: user.id }, data: { active: false } });
    expect(await loadActor(user.id)).toBeNull();
  });
});
