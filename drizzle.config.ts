import { defineConfig } from "drizzle-kit";

// Migrations are generated as SQL into db/migrations and committed; the app applies them at start.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/tenantatlas" },
});
