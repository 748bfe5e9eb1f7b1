// Names for prepared statements, so each pooled connection parses and plans a statement once
// and PostgreSQL may reuse its plan (after five executions, a generic plan when it costs no
// more than the custom ones: plan_cache_mode auto). Unnamed, the change facts query spent more
// on parsing and planning than on running (docs/performance.md).
//
// A "contains" match (ILIKE) is planned on every call instead: how much a text matches, one
// change or a hundred thousand, decides the plan, and a generic plan guesses it blind. With the
// trigram indexes it took the history search of events from 8 ms to 0.4-0.5 s at 100,000
// changes, and the change list filtered by state and title from 1.5-33 ms to 80-100 ms.
const CONTAINS_MATCH = /\bILIKE\b/i;

/**
 * One name per distinct SQL text, for the first `limit` texts: node-postgres keeps every
 * statement a connection prepared for the connection's life, so the set is bounded (texts that
 * vary, such as IN lists of every length, run unnamed once the limit is reached: the empty
 * name, which node-postgres treats as no name). A text with a contains-match always runs unnamed.
 */
export function statementNames(limit = 500): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined) return known;
    // Only texts not named yet are looked at: a contains-match is never named, so it comes here each time.
    if (names.size >= limit || CONTAINS_MATCH.test(sql)) return "";
    const name = `portal_${names.size + 1}`;
    names.set(sql, name);
    return name;
  };
}
