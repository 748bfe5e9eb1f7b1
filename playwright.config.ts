import { defineConfig } from "@playwright/test";
import { chromiumPath } from "./scripts/lib/chromium";
import { E2E_IDP_PORT, E2E_PORTS } from "./tests/support/e2e-ports";

// Run through `npm run test:e2e` (or `npm test`), which prepares the database and the build
// and passes E2E_APP_URL; two app instances share that database, as behind a load balancer.
const appUrl = process.env.E2E_APP_URL;
if (!appUrl) throw new Error("Run the browser tests with `npm run test:e2e`: it prepares the database and the build first.");

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  // Journeys sign in several people and walk many pages; on a loaded 2-core CI machine one ran
  // 47 s where it takes 15-22 s alone, so the budget is generous and a long journey sets more.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  reporter: [["list"], ["json"]],
  projects: [
    { name: "browser", testIgnore: /crash-recovery\.spec\.ts/ },
    // After the journeys, alone: it restarts its own server fifty times, which would crowd them on two cores.
    { name: "crash", testMatch: /crash-recovery\.spec\.ts/, dependencies: ["browser"] },
  ],
  use: {
    baseURL: `http://localhost:${E2E_PORTS[0]}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: chromiumPath(),
      // Without these Chromium keeps trying to reach Google's services from a closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: [
    {
      command: `node_modules/.bin/tsx scripts/ops/demo-idp.ts ${E2E_IDP_PORT} ${E2E_PORTS.map((p) => `http://localhost:${p}`).join(" ")}`,
      url: `http://localhost:${E2E_IDP_PORT}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    ...E2E_PORTS.map((port) => ({
      command: `node node_modules/next/dist/bin/next start -p ${port}`,
      url: `http://localhost:${port}/signin`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        ...(process.env as Record<string, string>),
        DATABASE_URL: appUrl,
        PORT: String(port),
        NEXTAUTH_URL: `http://localhost:${port}`,
        // The demo identity provider above (scripts/lib/demo-idp.ts).
        OIDC_ISSUER: `http://localhost:${E2E_IDP_PORT}`,
        OIDC_CLIENT_ID: "change-portal-demo",
        OIDC_CLIENT_SECRET: "demo-sso-client-secret-not-for-production",
        OIDC_ROLE_MAP:
          "portal-admins=admin;change-managers=change_manager;cab=cab_member;engineering=requester,implementer;security=security_reviewer",
      },
    })),
  ],
});
