import path from "node:path";
import { emulatorEnv } from "@/lib/env";
import { startEmulator } from "./server";

// `npm run emulator`: the emulator on its own, printing the demo credentials it accepts.
const e = emulatorEnv();
const emulator = await startEmulator({
  tlsDir: path.resolve(e.DATA_DIR, "emulator"),
  seed: e.EMULATOR_SEED,
  port: e.EMULATOR_PORT,
  groupsPerTenant: e.EMULATOR_GROUPS,
  policiesPerTenant: e.EMULATOR_POLICIES,
  tenantCount: e.EMULATOR_TENANTS,
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
