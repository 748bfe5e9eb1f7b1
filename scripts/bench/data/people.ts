// The bench organisation's 300 people with their roles, one password hash for all (argon2 is slow by design).
import type { Role } from "../../../lib/domain/roles";
import { copyRows } from "../../lib/history/copy";
import { BENCH_AUDITOR_EMAIL, BENCH_CAB_EMAIL, BENCH_MANAGER_EMAIL } from "../bench-fixtures";
import type { BenchUser, GeneratorContext } from "./generator-context";

export type Voters = Record<"cab_member" | "change_manager" | "security_reviewer", BenchUser[]>;
export type People = { requesters: BenchUser[]; implementers: BenchUser[]; managers: BenchUser[]; admins: BenchUser[]; voters: Voters };

const FIRST = [
  "Alex",
  "Blake",
  "Casey",
  "Dana",
  "Eli",
  "Frankie",
  "Gray",
  "Harper",
  "Indy",
  "Jules",
  "Kai",
  "Lane",
  "Morgan",
  "Noa",
  "Oakley",
  "Parker",
  "Quinn",
  "Reese",
  "Sage",
  "Tatum",
];
const LAST = [
  "Adams",
  "Baker",
  "Chen",
  "Diaz",
  "Evans",
  "Fischer",
  "Garcia",
  "Hughes",
  "Ito",
  "Jensen",
  "Kowalski",
  "Larsen",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Patel",
  "Rossi",
  "Silva",
  "Tanaka",
  "Weber",
];

/** The role mix of 300 users, as index ranges (the first three are the bench's own accounts). */
function rolesOf(i: number): Role[] {
  if (i === 0) return ["cab_member"];
  if (i === 1) return ["auditor"];
  if (i === 2) return ["change_manager"];
  if (i < 150) return ["requester"];
  if (i < 200) return ["implementer"];
  if (i < 240) return ["cab_member"];
  if (i < 252) return ["change_manager"];
  if (i < 267) return ["security_reviewer"];
  if (i < 280) return ["auditor"];
  if (i < 290) return ["admin"];
  return ["requester", "cab_member", "implementer"];
}

const emailOf = (i: number) => [BENCH_CAB_EMAIL, BENCH_AUDITOR_EMAIL, BENCH_MANAGER_EMAIL][i] ?? `user${i}@bench.local`;

/** Writes the users and their roles, created by the first admin a second apart at `setupAt`. */
export async function writePeople(ctx: GeneratorContext, passwordHash: string, setupAt: number): Promise<People> {
  const { owner, r, plan, count } = ctx;
  const users: BenchUser[] = Array.from({ length: 300 }, (_, i) => ({
    id: r.uuid(),
    email: emailOf(i),
    name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? ` ${i}` : ""}`,
    roles: rolesOf(i),
  }));
  const withRole = (role: Role) => users.filter((u) => u.roles.includes(role));
  const managers = withRole("change_manager");
  const admins = withRole("admin");
  await copyRows(
    owner,
    "users",
    ["id", "email", "name", "password_hash", "active", "must_change_password", "created_at", "updated_at"],
    users.map((u) => [u.id, u.email, u.name, passwordHash, true, false, new Date(setupAt), new Date(setupAt)]),
  );
  const roleRows = users.flatMap((u) => u.roles.map((role) => [u.id, role, new Date(setupAt), admins[0]!.id]));
  await copyRows(owner, "user_roles", ["user_id", "role", "granted_at", "granted_by_id"], roleRows);
  count("users", users.length);
  count("user_roles", roleRows.length);
  users.forEach((u, i) =>
    plan(setupAt + i * 1000, admins[0]!, "user.created", "user", u.id, null, { after: { email: u.email, name: u.name, roles: u.roles } }),
  );
  return {
    requesters: withRole("requester"),
    implementers: withRole("implementer"),
    managers,
    admins,
    voters: { cab_member: withRole("cab_member"), change_manager: managers, security_reviewer: withRole("security_reviewer") },
  };
}
