/** What an optimistic version check says when someone else wrote first; nothing typed is lost. */
export const STALE_CHANGE = "This change was updated by someone else; reload to see their change. What you typed is kept below.";
