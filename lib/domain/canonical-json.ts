/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted by UTF-16 code units,
 * recursively; no whitespace; numbers and strings serialized as JSON.stringify does.
 * Refuses what JSON cannot say exactly (undefined, NaN, Infinity, bigint, functions,
 * Dates and other class instances, cycles), so a hash never depends on a silent conversion.
 */
export function canonicalJson(value: unknown): string {
  // Fast path (the chain verifier hashes every event): one walk that writes the text directly.
  // Anything unusual (a refused value, a cycle, depth > 64) takes the careful path, which
  // gives the same bytes or names the problem. tests/unit/canonical-json-fast.test.ts holds
  // both to the same output on random values.
  try {
    return fastJson(value, 0);
  } catch {
    return carefulCanonicalJson(value);
  }
}

/** The reference serializer: slow, obviously right, and the one that explains a refusal. */
export function carefulCanonicalJson(value: unknown): string {
  return serialize(value, "$", new Set());
}

const MAX_DEPTH = 64;
// Characters JSON.stringify writes as they are: no quote, backslash, control character or
// surrogate (a lone one is escaped; pairs are left to JSON.stringify too, for simplicity).
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** A string as JSON.stringify writes it, without the native call for the common plain case. */
export function jsonString(s: string): string {
  return PLAIN_STRING.test(s) ? `"${s}"` : JSON.stringify(s);
}

function fastJson(value: unknown, depth: number): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return jsonString(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError();
      // Number-to-string is the algorithm JSON.stringify uses (and -0 prints as 0 in both).
      return String(value);
    case "object":
      break;
    default:
      throw new TypeError();
  }
  // Deep or cyclic structures are left to the careful path, which names the problem.
  if (depth > MAX_DEPTH) throw new TypeError();
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new TypeError();
      if (i > 0) out += ",";
      out += fastJson(value[i], depth + 1);
    }
    return out + "]";
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new TypeError();
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Most objects arrive sorted (the event shape is built that way); sort only when they do not.
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1]! < keys[i]!)) {
      keys.sort();
      break;
    }
  }
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) out += ",";
    out += jsonString(key) + ":" + fastJson(record[key], depth + 1);
  }
  return out + "}";
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
