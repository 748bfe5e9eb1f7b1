/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted by UTF-16 code units,
 * recursively; no whitespace; numbers and strings serialized as JSON.stringify does.
 * Refuses what JSON cannot say exactly (undefined, NaN, Infinity, bigint, functions,
 * Dates and other class instances, cycles), so a hash never depends on a silent conversion.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, "$", new Set());
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is ${typeof value}, which JSON cannot represent`);
  }
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: ${path} refers back to itself`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return `[${Array.from(value, (item: unknown, i) => serialize(item, `${path}[${i}]`, ancestors)).join(",")}]`;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as object).constructor?.name ?? "object";
      throw new TypeError(`canonicalJson: ${path} is a ${kind}; convert it first (Dates to ISO strings)`);
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is what RFC 8785 asks for.
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${serialize(record[k], `${path}.${k}`, ancestors)}`).join(",")}}`;
  } finally {
    ancestors.delete(value);
  }
}
