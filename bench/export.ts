import { spawn } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import pg from "pg";
import { operations } from "@/lib/operations/registry";
import { freshDatabase, table } from "./setup";

/**
 * Backup export (lib/export/backup-zip.ts): peak RSS of the serving process, in a process of its
 * own, while a client downloads a 5,000-item set and a 50-item set, beside the floor (the idle
 * server, and an empty set). Items are settings-catalog policies of 30 settings each (~11 kB of
 * JSON), the size the emulator's largest seeds have. A streamed export's peak must not grow with
 * the set's size; one that built the zip (or read the set) in memory would hold the 5,000-item
 * set's ~55 MB of JSON several times over.
 */
const SIZES = [0, 50, 5000];

const url = await freshDatabase("tenantatlas_bench_export", operations);
const db = new pg.Client({ connectionString: url });
await db.connect();
const userId = "00000000-0000-4000-8000-000000000001";
const tenantId = "10000000-0000-4000-8000-000000000001";
await db.query(`
  insert into users (id, email, name) values ('${userId}', 'bench@export.test', 'Bench');
  insert into tenants (id, tenant_guid, display_name, client_id, client_secret_enc)
  values ('${tenantId}', gen_random_uuid(), 'Bench tenant', gen_random_uuid(), 'v1.x.y.z');
  insert into tenant_memberships (user_id, tenant_id, role) values ('${userId}', '${tenantId}', 'viewer');
`);

const setting = (s: number) => ({
  "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
  id: String(s),
  settingInstance: {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId: `device_vendor_msft_policy_config_setting_${s}`,
    choiceSettingValue: { value: `device_vendor_msft_policy_config_setting_${s}_1`, children: [] },
  },
});
const sets = new Map<number, string>();
for (const size of SIZES) {
  const { rows } = await db.query("insert into backup_sets (tenant_id, name) values ($1, $2) returning id", [
    tenantId,
    `Bench ${size}`,
  ]);
  const setId = rows[0].id as string;
  const content = {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
    name: "Settings catalog",
    platforms: "windows10",
    technologies: "mdm",
    settings: Array.from({ length: 30 }, (_, s) => setting(s)),
    assignments: [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }],
  };
  await db.query(
    `insert into backup_items (backup_set_id, tenant_id, policy_id, family, name, content, content_hash)
     select $1, $2, gen_random_uuid(), 'settings_catalog', 'Settings catalog ' || g, $3::jsonb || jsonb_build_object('id', g), 'h'
     from generate_series(1, $4::int) g`,
    [setId, tenantId, content, size],
  );
  await db.query("update backup_sets set item_count = $2, completed_at = now() where id = $1", [setId, size]);
  sets.set(size, setId);
}
const jsonBytes = (await db.query("select avg(pg_column_size(content::text))::int as b from backup_items")).rows[0].b;
await db.end();

const server = spawn(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "bench/export-server.ts"], {
  env: { ...process.env, BENCH_DATABASE_URL: url, NODE_OPTIONS: "--expose-gc", LOG_LEVEL: "warn" },
  stdio: ["ignore", "pipe", "inherit"],
});
const port = await new Promise<number>((resolve) =>
  createInterface({ input: server.stdout! }).on("line", (line) => {
    const m = /^listening (\d+)/.exec(line);
    if (m) resolve(Number(m[1]));
  }),
);
const base = `http://127.0.0.1:${port}`;
const peakRss = async () => ((await (await fetch(`${base}/peak`)).json()) as { peak: number }).peak;
const live = async () => (await (await fetch(`${base}/live`)).json()) as { heapUsed: number; rss: number };
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Downloads a set; when half of `expectedBytes` is read, asks for the server's live heap. */
async function download(setId: string, expectedBytes = 0) {
  const t0 = performance.now();
  const response = await fetch(`${base}/${userId}/${tenantId}/${setId}`);
  let bytes = 0;
  let midway: number | undefined;
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    bytes += read.value.byteLength;
    if (midway === undefined && expectedBytes && bytes >= expectedBytes / 2) midway = (await live()).heapUsed;
  }
  return { bytes, seconds: (performance.now() - t0) / 1000, midway };
}

// Warm-up (every module loaded, every query planned) and each zip's size, for the midway probe.
const sizes = new Map<number, number>();
for (const size of SIZES) sizes.set(size, (await download(sets.get(size)!)).bytes);
const idle = await live();
await peakRss();
const rows: (string | number)[][] = [["idle server (floor)", "—", "—", "—", mb(idle.rss), "—", mb(idle.heapUsed)]];
for (const size of SIZES) {
  await peakRss(); // resets the peak
  const { bytes, seconds, midway } = await download(sets.get(size)!, sizes.get(size));
  const peak = await peakRss();
  rows.push([
    size === 0 ? "empty set" : `${size.toLocaleString("en")} items`,
    ((size * jsonBytes) / 1e6).toFixed(1),
    (bytes / 1e6).toFixed(1),
    seconds.toFixed(2),
    mb(peak),
    `+${mb(peak - idle.rss)}`,
    midway === undefined ? "—" : mb(midway),
  ]);
}
table(
  "Backup export: serving process (own process), one client reading as fast as it can",
  ["set", "JSON (MB)", "zip (MB)", "seconds", "peak RSS (MB)", "over idle", "live heap midway (MB)"],
  rows,
);
server.kill("SIGTERM");
