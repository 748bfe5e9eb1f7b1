import { ROLE_LABELS } from "@/lib/domain/roles";
import { DEMO_PASSWORD, DEMO_USERS } from "@/prisma/seed/demo-users";

/** Shown on the sign-in page only while the demo data set is loaded. */
export function DemoAccounts() {
  return (
    <section aria-labelledby="demo-accounts" className="rounded-xl bg-amber-50 p-4 text-sm ring-1 ring-amber-200">
      <h2 id="demo-accounts" className="font-semibold text-amber-900">
        Demo accounts
      </h2>
      <p className="mt-1 text-amber-900">
        Every demo account uses the password <code className="rounded bg-white px-1 py-0.5 font-mono">{DEMO_PASSWORD}</code>.
      </p>
      <ul className="mt-3 divide-y divide-amber-200">
        {DEMO_USERS.map((user) => (
          <li key={user.email} className="flex justify-between gap-4 py-1.5">
            <code className="font-mono text-amber-950">{user.email}</code>
            <span className="text-right text-amber-800">{user.roles.map((r) => ROLE_LABELS[r]).join(", ")}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
