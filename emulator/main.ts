import path from "node:path";
import { startEmulator } from "./server";

// `npm run emulator`: the emulator on its own, printing the demo credentials it accepts.
const seed = Number(process.env.EMULATOR_SEED ?? 1);
const emulator = await startEmulator({
  tlsDir: path.resolve(process.env.DATA_DIR ?? ".data", "emulator"),
  seed,
  port: Number(process.env.EMULATOR_PORT ?? 0),
  groupsPerTenant: process.env.EMULATOR_GROUPS ? Number(process.env.EMULATOR_GROUPS) : undefined,
  policiesPerTenant: process.env.EMULATOR_POLICIES ? Number(process.env.EMULATOR_POLICIES) : undefined,
  tenantCount: process.env.EMULATOR_TENANTS ? Number(process.env.EMULATOR_TENANTS) : undefined,
});
console.log(`Graph emulator listening on ${emulator.url} (trust ${emulator.caFile})`);
for (const t of emulator.state.tenants) {
  console.log(
    `  ${t.displayName}: tenant ${t.tenantId}, client ${t.apps[0]?.clientId}, secret ${t.apps[0]?.clientSecret}`,
  );
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void emulator.stop().then(() => process.exit(0)));
}
