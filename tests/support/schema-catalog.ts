// What schema.prisma says versus what PostgreSQL has, in one comparable shape.
import { readFileSync } from "node:fs";
import { getDMMF } from "@prisma/internals";
import pg from "pg";

export type SchemaShape = {
  columns: string[]; // "table.column type NULL|NOT NULL"
  uniques: string[]; // "table(col,col)"
  foreignKeys: string[]; // "table(cols) -> table(cols)"
  enums: string[]; // "name: a,b,c"
};

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

function nativeType([name, args]: [string, string[]]): string {
  const a = args.join(",");
  switch (name) {
    case "Uuid":
      return "uuid";
    case "Timestamptz":
      return `timestamp(${a || 6}) with time zone`;
    case "Timestamp":
      return `timestamp(${a || 6}) without time zone`;
    case "VarChar":
      return a ? `character varying(${a})` : "character varying";
    case "Char":
      return `character(${a || 1})`;
    case "Decimal":
      return a ? `numeric(${a})` : "numeric";
    case "DoublePrecision":
      return "double precision";
    case "SmallInt":
      return "smallint";
    case "JsonB":
      return "jsonb";
    default:
      return name.toLowerCase();
  }
}

export async function prismaShape(schemaPath: string): Promise<SchemaShape> {
  const { datamodel } = await getDMMF({ datamodel: readFileSync(schemaPath, "utf8") });
  const enumName = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const shape: SchemaShape = { columns: [], uniques: [], foreignKeys: [], enums: [] };
  for (const e of datamodel.enums) shape.enums.push(`${e.dbName ?? e.name}: ${e.values.map((v) => v.dbName ?? v.name).join(",")}`);
  const tableOf = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  for (const model of datamodel.models) {
    const table = model.dbName ?? model.name;
    const column = new Map(model.fields.map((f) => [f.name, f.dbName ?? f.name]));
    for (const f of model.fields) {
      if (f.kind === "object") {
        if (f.relationFromFields?.length) {
          const target = datamodel.models.find((m) => m.name === f.type)!;
          const targetColumn = new Map(target.fields.map((tf) => [tf.name, tf.dbName ?? tf.name]));
          shape.foreignKeys.push(
            `${table}(${f.relationFromFields.map((x) => column.get(x)).join(",")}) -> ${tableOf.get(f.type)}(${f.relationToFields!.map((x) => targetColumn.get(x)).join(",")})`,
          );
        }
        continue;
      }
      let type =
        f.kind === "enum" ? enumName.get(f.type)! : f.nativeType ? nativeType(f.nativeType as [string, string[]]) : SCALAR_TYPES[f.type]!;
      if (f.isList) type += "[]";
      shape.columns.push(`${table}.${column.get(f.name)} ${type} ${f.isRequired ? "NOT NULL" : "NULL"}`);
      if (f.isUnique || f.isId) shape.uniques.push(`${table}(${column.get(f.name)})`);
    }
    if (model.primaryKey) shape.uniques.push(`${table}(${model.primaryKey.fields.map((x) => column.get(x)).join(",")})`);
    for (const u of model.uniqueFields) shape.uniques.push(`${table}(${u.map((x) => column.get(x)).join(",")})`);
  }
  return sortAll(shape);
}

export async function databaseShape(connectionString: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const columns = await client.query<{ c: string }>(`
      SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END AS c
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
    const uniques = await client.query<{ c: string }>(`
      SELECT t.relname || '(' || string_agg(a.attname, ',' ORDER BY k.ord) || ')' AS c
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND i.indisunique AND i.indpred IS NULL AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname, i.indexrelid`);
    const fks = await client.query<{ c: string }>(`
      SELECT src.relname || '(' || (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n)
        || ') -> ' || dst.relname || '(' || (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) || ')' AS c
      FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = src.relnamespace WHERE con.contype = 'f' AND n.nspname = 'public'`);
    const enums = await client.query<{ c: string }>(`
      SELECT t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS c
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`);
    return sortAll({
      columns: columns.rows.map((r) => r.c),
      uniques: uniques.rows.map((r) => r.c),
      foreignKeys: fks.rows.map((r) => r.c),
      enums: enums.rows.map((r) => r.c),
    });
  } finally {
    await client.end();
  }
}

function sortAll(shape: SchemaShape): SchemaShape {
  return {
    columns: [...new Set(shape.columns)].sort(),
    uniques: [...new Set(shape.uniques)].sort(),
    foreignKeys: [...new Set(shape.foreignKeys)].sort(),
    enums: [...new Set(shape.enums)].sort(),
  };
}
