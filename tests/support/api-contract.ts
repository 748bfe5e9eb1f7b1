import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { API_SERVER, buildOpenApiDocument } from "@/lib/server/api/openapi";

// Checks a response an /api/v1 handler gave against the OpenAPI document: the operation (method
// and path template), a status it lists, a media type it lists for that status, and a JSON body
// its schema accepts (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses). The document checked is the
// one clients get, so a handler answering what its schema does not say fails the test that saw it.

type Media = { schema?: object };
type Response_ = { $ref?: string; content?: Record<string, Media> };
type Operation = { responses: Record<string, Response_> };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, object>; responses?: Record<string, Response_> };
};

export type ContractCheck = (method: string, url: string, response: Response) => Promise<void>;

/** A checker for `document` (the document of every declared endpoint unless given). */
export function contractChecker(document: Document = buildOpenApiDocument() as unknown as Document): ContractCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // Schemas refer to shared ones as #/components/schemas/X: give ajv them under a name of their own.
  ajv.addSchema({ $id: "components.json", $defs: document.components?.schemas ?? {} });
  const compiled = new Map<object, ValidateFunction>();
  const validator = (schema: object) => {
    let validate = compiled.get(schema);
    if (!validate) {
      const text = JSON.stringify(schema).split('"#/components/schemas/').join('"components.json#/$defs/');
      validate = ajv.compile(JSON.parse(text) as object);
      compiled.set(schema, validate);
    }
    return validate;
  };
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{\w+\\?\}/g, "[^/]+")}$`),
  }));

  return async (method, url, response) => {
    const { pathname } = new URL(url);
    const where = `${method} ${pathname}`;
    if (!pathname.startsWith(`${API_SERVER}/`)) throw new Error(`${where} is not under ${API_SERVER}.`);
    const path = pathname.slice(API_SERVER.length);
    // A literal segment wins over a parameter (/changes/conflicts before /changes/{id}).
    const matched = templates.filter((t) => t.pattern.test(path)).sort((a, b) => a.params - b.params);
    const operation = matched
      .map((t) => ({ t, op: document.paths[t.template]![method.toLowerCase()] }))
      .find((m): m is { t: (typeof templates)[number]; op: Operation } => m.op !== undefined);
    if (!operation) throw new Error(`${where}: no operation of the OpenAPI document matches it (method and path template).`);
    const { op, t } = operation;
    const label = `${method} ${t.template} (called as ${where})`;
    let documented = op.responses[String(response.status)];
    if (!documented)
      throw new Error(
        `${label} answered ${response.status}, which the OpenAPI document does not list (it lists ${Object.keys(op.responses).join(", ")}). Body: ${(await response.clone().text()).slice(0, 500)}`,
      );
    if (documented.$ref) documented = document.components?.responses?.[documented.$ref.split("/").at(-1)!] ?? {};
    const body = await response.clone().text();
    if (!documented.content) {
      if (body !== "") throw new Error(`${label} answered ${response.status} with a body, where the document says it has none.`);
      return;
    }
    const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const media = documented.content[type];
    if (!media)
      throw new Error(
        `${label} answered ${response.status} as "${type}", where the document lists ${Object.keys(documented.content).join(", ")}.`,
      );
    if (!media.schema || !/json$/.test(type)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Error(`${label} answered ${response.status} as ${type} with a body that is not JSON: ${body.slice(0, 200)}`);
    }
    const validate = validator(media.schema);
    if (!validate(parsed))
      throw new Error(
        `${label} answered ${response.status} with a body its OpenAPI schema refuses:\n${(validate.errors ?? []).map((e) => `  body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join("\n")}\nBody: ${body.slice(0, 500)}`,
      );
  };
}
