import type { NextConfig } from "next";

/**
 * The dashboard forwards every API path same-origin so the Better Auth session cookie stays
 * first-party (ADR-0001). Next.js evaluates rewrites at build time: API_URL is baked into the
 * build, so scripts/start.mjs rebuilds when it changes.
 */
const apiUrl = (process.env.API_URL ?? "http://127.0.0.1:4000").replace(/\/$/, "");
const forwarded = ["/api/auth", "/api/internal", "/api/dev", "/v1", "/.well-known"];

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Gzip would buffer the proxied Server-Sent Events stream of GET /v1/events.
  compress: false,
  // The E2E tests build into their own directory so they never clobber `npm start`'s build.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // `npm run typecheck` type-checks the app; the build skips it to stay fast on small machines.
  typescript: { ignoreBuildErrors: true },
  async rewrites() {
    return forwarded.map((prefix) => ({
      source: `${prefix}/:path*`,
      destination: `${apiUrl}${prefix}/:path*`,
    }));
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default config;
