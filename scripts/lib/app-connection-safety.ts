// What the web server's own database connection may not be. The audit log is append-only only
// because the application's role can neither alter tables nor switch their triggers off.
import { withClient } from "./embedded-postgres";

type AppRoleFacts = { role: string; superuser: boolean; bypassrls: boolean; owned: number; examples: string | null };

// Relations in the application's schemas whose owner the role is, or inherits the rights of
// (the portal's own tables named first, before the job queue's).
const FACTS_SQL = `
  SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
         count(c.oid)::int AS owned,
         string_agg(c.relname, ', ' ORDER BY c.relnamespace <> 'public'::regnamespace, c.relname) FILTER (WHERE c.relkind IN ('r', 'p')) AS examples
    FROM pg_roles r
    LEFT JOIN pg_class c
      ON c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     AND c.relnamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema') OR nspname LIKE 'pg\\_%')
     AND pg_has_role(r.oid, c.relowner, 'USAGE')
   WHERE r.rolname = current_user
   GROUP BY r.rolname, r.rolsuper, r.rolbypassrls`;

/**
 * Why the application's connection (`appUrl`) is unsafe to serve with: a superuser, a role that
 * owns (or inherits ownership of) any table, or the migration role itself. Empty when it is safe.
 */
export async function unsafeAppConnection(appUrl: string, ownerUrl: string): Promise<string[]> {
  const facts = await withClient(appUrl, async (c) => (await c.query<AppRoleFacts>(FACTS_SQL)).rows[0]!);
  const ownerRole = await withClient(ownerUrl, async (c) => (await c.query<{ role: string }>("SELECT current_user AS role")).rows[0]!.role);
  const problems: string[] = [];
  const who = `The application's connection (DATABASE_URL) is role "${facts.role}"`;
  if (facts.superuser)
    problems.push(`${who}, a superuser: it bypasses every permission and can switch off the triggers that keep the audit log append-only.`);
  else if (facts.bypassrls) problems.push(`${who}, which bypasses row-level security.`);
  if (facts.role === ownerRole)
    problems.push(`${who}, the migration role (MIGRATION_DATABASE_URL): give the application a role of its own.`);
  if (facts.owned > 0 && !facts.superuser) {
    const examples = facts.examples ? ` (${facts.examples.split(", ").slice(0, 5).join(", ")}${facts.owned > 5 ? ", …" : ""})` : "";
    problems.push(
      `${who}, which owns or inherits the ownership of ${facts.owned} relations${examples}: it could alter them and disable their triggers.`,
    );
  }
  return problems;
}

/** `npm start` in production: PORTAL_MODE=production or NODE_ENV=production. */
export function isProductionMode(source: NodeJS.ProcessEnv = process.env): boolean {
  return source.PORTAL_MODE === "production" || source.NODE_ENV === "production";
}
