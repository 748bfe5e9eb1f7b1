/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted by UTF-16 code units,
 * recursively; no whitespace; numbers and strings serialized as JSON.stringify does.
 * Refuses what JSON cannot say exactly (undefined, NaN, Infinity, bigint, functions,
 * Dates and other class instances, cycles), so a hash never depends on a silent conversion.
 */
export function canonicalJson(value: unknown): string {
  // Fast path (the chain verifier hashes every event): a key-sorted copy through the native
  // JSON.stringify, which serializes strings and numbers exactly as below. Anything unusual
  // (a refused value, array-index-like keys that JS objects would reorder) takes the careful path.
  try {
    return JSON.stringify(sortedCopy(value, 0));
  } catch {
    return serialize(value, "$", new Set());
  }
}

const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;
const MAX_DEPTH = 64;

function sortedCopy(value: unknown, depth: number): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError();
      return value;
    case "object":
      break;
    default:
      throw new TypeError();
  }
  // Deep or cyclic structures are left to the careful path, which names the problem.
  if (depth > MAX_DEPTH) throw new TypeError();
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new TypeError();
      out[i] = sortedCopy(value[i], depth + 1);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new TypeError();
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (INDEX_LIKE.test(key)) throw new TypeError();
    out[key] = sortedCopy(record[key], depth + 1);
  }
  return out;
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
