import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ok } from "@/lib/domain/result";
import type { Actor } from "@/lib/server/auth/current-actor";
import { formAction } from "@/lib/server/actions/form-action";
import { runUseCase } from "@/lib/server/actions/run-use-case";
import { searchAction } from "@/lib/server/actions/search-action";
import { DATABASE_BUSY, DatabaseBusyError } from "@/lib/server/db/database-busy";
import { db } from "@/lib/server/db/db";
import { createTestCi, createTestUser } from "../support/fixtures";

// The one wrapper every server action goes through (lib/server/actions), driven through real
// actions and use cases on a real database, and through small actions built here for the
// failures a use case should never produce.

const session = vi.hoisted(() => ({ actor: null as Actor | null, asked: [] as unknown[] }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async (options?: unknown) => {
    session.asked.push(options);
    return session.actor;
  },
}));
const revalidated = vi.hoisted(() => [] as unknown[][]);
vi.mock("next/cache", () => ({ revalidatePath: (...args: unknown[]) => void revalidated.push(args) }));

const users = await import("@/app/(portal)/admin/users/actions");
const cis = await import("@/app/(portal)/admin/cis/actions");

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
}

/** Where redirect() sent the browser, or null when the action returned. */
async function redirectOf(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? "");
    if (!digest.startsWith("NEXT_REDIRECT")) throw error;
    return digest.split(";")[2] ?? null;
  }
}

afterEach(() => {
  revalidated.length = 0;
  session.asked.length = 0;
  vi.restoreAllMocks();
});

describe("the action wrapper", () => {
  it("answers bad input with the use case's refusal, its field errors and what was typed", async () => {
    session.actor = (await createTestUser({ roles: ["admin"] })).actor;
    const typed = { name: "Ada", email: "not an address", temporaryPassword: "short", roles: ["requester", "cab_member"] };
    const state = await users.createUserAction({ ok: true }, form(typed));
    expect(state.ok).toBe(false);
    expect(state.message).toBe("Check the highlighted fields.");
    expect(Object.keys(state.fieldErrors ?? {})).toEqual(expect.arrayContaining(["email", "temporaryPassword"]));
    expect(state.values).toEqual(typed);
    expect(revalidated).toEqual([]);
  });

  it("revalidates and redirects after a success, with the session's actor", async () => {
    session.actor = (await createTestUser({ roles: ["admin"] })).actor;
    const email = `wrapped-${Date.now()}@example.test`;
    const to = await redirectOf(() =>
      users.createUserAction(
        { ok: true },
        form({ name: "Grace", email, temporaryPassword: "a temporary password of length", roles: ["requester"] }),
      ),
    );
    const created = await db().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    expect(to).toBe(`/admin/users/${created.id}?created=1`);
    expect(revalidated).toEqual([["/admin/users"]]);
    expect(session.asked).toEqual([{ allowPasswordChange: undefined }]);
  });

  it("revalidates a layout when asked, and returns the use case's message in place", async () => {
    const run = vi.fn(async () => ok({ message: "Saved." }));
    const action = formAction({ input: () => ({}), run, revalidate: [{ layout: "/admin/cis" }, "/calendar"] });
    expect(await action({ ok: true }, form({}))).toEqual({ ok: true, message: "Saved." });
    expect(revalidated).toEqual([["/admin/cis", "layout"], ["/calendar"]]);
  });

  it("shows a thrown error as a logged reference, never its text, and keeps what was typed", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const action = formAction({
      input: (data) => ({ note: String(data.get("note")) }),
      keep: (input) => input,
      run: async () => {
        throw new Error('relation "secret_table" does not exist (SQLSTATE 42P01) at /srv/app/lib/server/x.ts:12');
      },
      revalidate: ["/never"],
    });
    const state = await action({ ok: true }, form({ note: "typed" }));
    expect(state.ok).toBe(false);
    expect(state.message).toMatch(/^Something went wrong \(ref [0-9a-f]{8}\)\. Try again/);
    expect(state.message).not.toMatch(/secret_table|SQLSTATE|srv|\.ts/);
    expect(state.values).toEqual({ note: "typed" });
    const ref = /ref ([0-9a-f]{8})/.exec(state.message!)![1];
    expect(logged).toHaveBeenCalledWith(`[action ${ref}]`, expect.any(Error));
    expect(revalidated).toEqual([]);
  });

  it("turns the database's busy answers into DATABASE_BUSY, whoever raised them", async () => {
    const lockTimeout = Object.assign(new Error("canceling statement due to lock timeout"), { code: "55P03" });
    for (const error of [new DatabaseBusyError(), lockTimeout, { cause: { originalCode: "57014" } }]) {
      const action = formAction({
        input: () => ({}),
        run: async () => {
          throw error;
        },
      });
      expect(await action({ ok: true }, form({}))).toEqual({ ok: false, message: DATABASE_BUSY });
    }
  });

  it("refuses input its schema rejects before asking for the actor or calling the use case", async () => {
    const run = vi.fn(async (_actor: Actor | null, n: number) => ok(n * 2));
    const schema = z.coerce.number().int().max(10);
    expect(await runUseCase({ input: schema, run }, "11", async () => session.actor)).toMatchObject({ ok: false, cause: "input" });
    expect(run).not.toHaveBeenCalled();
    expect(await runUseCase({ input: schema, run }, "4", async () => session.actor)).toEqual({ ok: true, input: 4, value: 8 });
  });

  it("gives a search nothing for a forged query, a refusal or a failure, and results otherwise", async () => {
    session.actor = (await createTestUser({ roles: ["admin"] })).actor;
    const ci = await createTestCi();
    expect(await cis.searchCisAction(ci.name)).toEqual([expect.objectContaining({ id: ci.id, name: ci.name })]);
    session.asked.length = 0;
    expect(await cis.searchCisAction({ toString: 0 })).toEqual([]);
    expect(session.asked).toEqual([]);
    session.actor = (await createTestUser({ roles: ["auditor"] })).actor;
    expect(await cis.searchCisAction("ci")).toEqual([]);
    const denials = await db().auditEvent.count({ where: { action: "authorization.denied", actorId: session.actor.id } });
    expect(denials).toBe(1);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const failing = searchAction({
      input: z.string(),
      run: async () => {
        throw new Error("boom");
      },
    });
    expect(await failing("x")).toEqual([]);
  });
});
