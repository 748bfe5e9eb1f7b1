// `npm run lint` (and npm test's lint step): no folder of lib/server imports a folder that imports it,
// type-only imports included, so each folder can be read, tested and changed from the bottom up.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve("lib/server");
const SKIP = new Set(["generated"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return SKIP.has(name) ? [] : sources(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** The folder of lib/server a file belongs to ("." for the files at its top). */
const folderOf = (file: string) => {
  const rel = path.relative(ROOT, file);
  return rel.includes(path.sep) ? rel.split(path.sep)[0]! : ".";
};

function importedFile(from: string, specifier: string): string | null {
  const target = specifier.startsWith("@/")
    ? path.resolve(specifier.slice(2))
    : specifier.startsWith(".")
      ? path.resolve(path.dirname(from), specifier)
      : null;
  return target && target.startsWith(ROOT + path.sep) ? target : null;
}

/** folder -> folder -> the first file seen making that import, for the message. */
const edges = new Map<string, Map<string, string>>();
for (const file of sources(ROOT)) {
  const from = folderOf(file);
  for (const ref of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
    const target = importedFile(file, ref.fileName);
    if (!target) continue;
    const to = folderOf(target);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, path.relative(process.cwd(), file));
  }
}

// A folder that reaches itself again is on a circle; report each circle once, by its path.
const circles = new Set<string>();
function walk(start: string, at: string, trail: string[]) {
  for (const next of edges.get(at)?.keys() ?? []) {
    if (next === start) circles.add([...trail, next].join(" -> "));
    else if (!trail.includes(next) && next > start) walk(start, next, [...trail, next]);
  }
}
for (const folder of edges.keys()) walk(folder, folder, [folder]);

if (circles.size) {
  console.error("Folders of lib/server that import each other (a circle):");
  for (const circle of circles) {
    const hops = circle.split(" -> ");
    const why = hops.slice(0, -1).map((f, i) => `${f} -> ${hops[i + 1]} (${edges.get(f)!.get(hops[i + 1]!)})`);
    console.error(`  ${circle}\n    ${why.join("\n    ")}`);
  }
  process.exit(1);
}
console.log(`No circle among the ${edges.size} folders of lib/server that import others.`);
