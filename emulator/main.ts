import path from "node:path";
import { buildDirectory } from "./directory";
import { startEmulator } from "./server";

// `npm run emulator`: the emulator on its own, printing the demo credentials it accepts.
const seed = Number(process.env.EMULATOR_SEED ?? 1);
const emulator = await startEmulator({
  tlsDir: path.resolve(process.env.DATA_DIR ?? ".data", "emulator"),
  seed,
  port: Number(process.env.EMULATOR_PORT ?? 0),
});
console.log(`Graph emulator listening on ${emulator.url} (trust ${emulator.caFile})`);
for (const t of buildDirectory(seed)) {
  console.log(`  ${t.displayName}: tenant ${t.tenantId}, client ${t.apps[0]?.clientId}`);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void emulator.stop().then(() => process.exit(0)));
}
