const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route parameters are checked before they reach a uuid column, so a typo gives 404, not an error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
