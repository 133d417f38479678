import type { Stack } from "./stack";

/**
 * What `npm start` prints once the console is up. The demo sign-in only when there is a demo
 * account; otherwise how a first person gets in, without naming any account.
 */
export function startBanner({ url, demo, emulatorUrl }: { url: string; demo: Stack["demo"]; emulatorUrl?: string }) {
  const lines = [`  TenantAtlas console is running: ${url}`];
  lines.push(
    demo
      ? `  Sign in as ${demo.email} with password ${demo.password}`
      : "  No demo account (SEED_DEMO=1 seeds one): sign in with Microsoft from a tenant in ALLOWED_ENTRA_TENANT_IDS.",
  );
  if (emulatorUrl) lines.push(`  Microsoft Graph: emulator at ${emulatorUrl}`);
  lines.push("  Press Ctrl-C to stop.");
  return `\n${lines.join("\n")}\n`;
}
