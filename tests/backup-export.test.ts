import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { auditEvents, backupItems, backupSets, policies } from "@/db/schema";
import { InputError, NotFoundError } from "@/lib/errors";
import {
  EXPORTED_SECRET,
  ExportBusyError,
  exportedContent,
  MARKDOWN_ENTRY,
  openBackupExport,
} from "@/lib/export/backup-zip";
import { cell } from "@/lib/export/markdown";
import { INTUNE_TYPE_KEYS } from "@/lib/intune/types";
import { startOperation } from "@/lib/operations/start";
import { OMA_SECRET_MARKER, SEALED_SECRETS_KEY } from "@/lib/secrets/oma-settings";
import { MASKED_SECRET } from "@/lib/secrets/policy-masking";
import {
  actor,
  addMember,
  createTestTenant,
  createUser,
  emulatedTenantFixture,
  openHarness,
  waitForCompletion,
} from "./support/harness";
import { graphAs } from "./support/restore-pair";
import { claimEmulatedTenant } from "./support/tenants";

/**
 * Backup sets exported as zips (lib/export/backup-zip.ts), read back with yauzl and `unzip`:
 * a real backup of Zip Works (every policy, with its OMA and settings-catalog secrets), and sets
 * written straight into the database for hostile names and for size.
 */
let h: Awaited<ReturnType<typeof openHarness>>;
const zipworks = claimEmulatedTenant(import.meta.url);
let tenantId: string;
let owner: { id: string; name: string };
let backupSetId: string;

const run = async (type: string, inputs: Record<string, unknown>) => {
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type, inputs });
  const done = await waitForCompletion(h.db, run.id, 180_000);
  expect(done.outcome).toBe("succeeded");
  return done;
};

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, tenantId } = await emulatedTenantFixture(h.db, zipworks, "Export owner"));
  await run("directory_groups.sync", {});
  await run("inventory.sync", {});
  const backup = await run("backup_set.create", {});
  [{ id: backupSetId }] = (await h.db
    .select({ id: backupSets.id })
    .from(backupSets)
    .where(eq(backupSets.runId, backup.id))) as [{ id: string }];
}, 400_000);
afterAll(async () => {
  await h.close();
});

async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
  return Buffer.concat(chunks);
}

/** Every entry of a zip, by name, decompressed: yauzl checks each CRC and size as it reads. */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: true }, (err, file) => {
      if (err) return reject(err);
      const entries = new Map<string, Buffer>();
      file.on("error", reject);
      file.on("end", () => resolve(entries));
      file.on("entry", (entry: yauzl.Entry) => {
        file.openReadStream(entry, (openErr, stream) => {
          if (openErr) return reject(openErr);
          const parts: Buffer[] = [];
          stream.on("data", (p: Buffer) => parts.push(p));
          stream.on("error", reject);
          stream.on("end", () => {
            if (entries.has(entry.fileName)) reject(new Error(`duplicate entry ${entry.fileName}`));
            entries.set(entry.fileName, Buffer.concat(parts));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

/** The values of settings-catalog secret settings: tokens as Graph returns them. */
function secretTokensIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(secretTokensIn);
  if (!node || typeof node !== "object") return [];
  const object = node as Record<string, unknown>;
  const own = object.valueState === "encryptedValueToken" && typeof object.value === "string" ? [object.value] : [];
  return [...own, ...Object.values(object).flatMap(secretTokensIn)];
}

const exportOf = (userId: string, setId: string, name = "Reader") =>
  openBackupExport(h.db, { actor: { userId, name }, tenantId, backupSetId: setId });

/** A sealed set written straight into the database, with the given items. */
async function sealedSet(items: { name: string; policyId?: string; family?: string; content: object }[]) {
  const [set] = await h.db.insert(backupSets).values({ tenantId, name: "Direct set", selection: null }).returning();
  if (items.length) {
    await h.db.insert(backupItems).values(
      items.map((item) => ({
        backupSetId: set!.id,
        tenantId,
        policyId: item.policyId ?? crypto.randomUUID(),
        family: (item.family ?? "device_configuration") as "device_configuration",
        name: item.name,
        content: item.content as Record<string, unknown>,
        contentHash: "0".repeat(64),
      })),
    );
  }
  await h.db
    .update(backupSets)
    .set({ itemCount: items.length, completedAt: new Date() })
    .where(eq(backupSets.id, set!.id));
  return set!.id;
}

describe("backup export", () => {
  it("lets one user download two sets at once, refuses a third until one ends, and gives the slot back on cancel", async () => {
    const first = await exportOf(owner.id, backupSetId);
    const second = await exportOf(owner.id, backupSetId);
    await expect(exportOf(owner.id, backupSetId)).rejects.toBeInstanceOf(ExportBusyError);
    await first.stream.cancel();
    // The slot comes back once the zip's output has closed.
    await expect
      .poll(async () => {
        const next = await exportOf(owner.id, backupSetId).catch((e: unknown) => e);
        if (next instanceof ExportBusyError) return "busy";
        await (next as Awaited<ReturnType<typeof exportOf>>).stream.cancel();
        return "open";
      })
      .toBe("open");
    await second.stream.cancel();
  });

  it("zips a sealed set: one JSON per item equal to the stored item, and the whole set in Markdown", async () => {
    const items = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backupSetId));
    // Every policy of every type the inventory holds.
    const [inventory] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.deleted, false)));
    expect(items.length).toBe(inventory!.n);
    expect(items.length).toBeGreaterThan(300);
    expect(new Set(items.map((i) => i.family))).toEqual(new Set(INTUNE_TYPE_KEYS));
    const { stream, fileName } = await exportOf(owner.id, backupSetId);
    expect(fileName).toMatch(/^Test tenant backup \d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.zip$/);
    const zip = await collect(stream);
    const entries = await unzip(zip);
    expect(entries.size).toBe(items.length + 1);
    expect([...entries.keys()][0]).toBe(MARKDOWN_ENTRY);

    // Entries end with the policy's id, which is not always a GUID (app protection: `T_<guid>`).
    const jsonEntries = [...entries].filter(([name]) => name.endsWith(".json"));
    const byPolicy = new Map(
      items.map((item) => [item.policyId, jsonEntries.find(([name]) => name.endsWith(`-${item.policyId}.json`))?.[1]]),
    );
    expect(items.filter((i) => i.policyId.startsWith("T_")).length).toBe(28);
    let unchanged = 0;
    for (const item of items) {
      const json = JSON.parse(byPolicy.get(item.policyId)!.toString("utf8"));
      expect(json).toEqual(exportedContent(item, { keepScripts: true }));
      if (!JSON.stringify(item.content).includes("ecret") && !(SEALED_SECRETS_KEY in item.content)) {
        expect(json).toEqual(item.content); // as stored: what Graph returned
        unchanged++;
      }
    }
    expect(unchanged).toBeGreaterThan(250);

    const markdown = entries.get(MARKDOWN_ENTRY)!.toString("utf8");
    expect(markdown.match(/^## /gm)).toHaveLength(items.length);
    const catalog = items.find((i) => i.family === "settings_catalog" && (i.content.settings as unknown[]).length > 5)!;
    expect(markdown).toContain(`## ${catalog.name}`);
    expect(markdown).toContain("| device\\_vendor\\_msft\\_policy\\_config\\_setting\\_5 | ");
    expect(markdown).toContain("| → child\\_5 | 50 |");
    expect(markdown).toContain(
      "| ./Device/Vendor/MSFT/Accounts/Users/SupportAdmin/Password | Support admin password |",
    );
    expect(markdown).toContain("| Include | All users |");
    // An iOS app configuration's key/value settings as their own table (not read as catalog settings).
    expect(markdown).toContain("### App configuration settings");
    expect(markdown).toContain("| IntuneMAMUPN | stringType | {{userprincipalname}} |");
    // Types that live inside another type's collection are exported as what they are, settings included.
    const antivirus = items.find((i) => i.family === "endpoint_security_antivirus")!;
    const ring = items.find((i) => i.family === "update_ring")!;
    expect(markdown).toContain(`## ${antivirus.name}`);
    expect(markdown).toContain(`## ${ring.name}`);
    expect(markdown).toContain("- Type: Endpoint security: Antivirus (deviceManagementConfigurationPolicy)");
    expect(markdown).toContain("- Type: Update ring (windowsUpdateForBusinessConfiguration)");
    expect(markdown).toContain("| device\\_vendor\\_msft\\_policy\\_config\\_defender\\_allowrealtimemonitoring | ");
    // Group names come from the directory cache.
    const [group] = (
      await h.db.execute(
        sql`select id, display_name from entra_groups where tenant_id = ${tenantId} and id = (
            select (a->'target'->>'groupId')::uuid from backup_items, jsonb_array_elements(content->'assignments') a
            where backup_set_id = ${backupSetId} and a->'target'->>'groupId' is not null limit 1)`,
      )
    ).rows as { id: string; display_name: string }[];
    expect(markdown).toContain(` | ${cell(group!.display_name)} | `);

    // `unzip` (Info-ZIP) agrees: every entry tests fine.
    const dir = await mkdtemp(path.join(tmpdir(), "export-"));
    try {
      await writeFile(path.join(dir, "set.zip"), zip);
      const { stdout } = await promisify(execFile)("unzip", ["-t", path.join(dir, "set.zip")]);
      expect(stdout).toMatch(/No errors detected/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const [audit] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "backup.export")));
    expect(audit).toMatchObject({ actorUserId: owner.id, targetId: backupSetId, outcome: "success" });
  });

  it("puts no secret in the archive: not the plain texts, not Graph's ciphertexts or tokens, not the sealed copies", async () => {
    const items = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backupSetId));
    const secrets: string[] = [];
    for (const item of items) {
      for (const [reference, sealed] of Object.entries(
        (item.content[SEALED_SECRETS_KEY] ?? {}) as Record<string, string>,
      )) {
        secrets.push(sealed);
        const plain = await graphAs(
          zipworks,
          `/beta/deviceManagement/deviceConfigurations/${item.policyId}/getOmaSettingPlainTextValue(secretReferenceValueId='${reference}')`,
        );
        secrets.push(plain.body.value as string);
        const read = await graphAs(zipworks, `/beta/deviceManagement/deviceConfigurations/${item.policyId}`);
        for (const s of read.body.omaSettings as { isEncrypted?: boolean; value: string }[]) {
          if (s.isEncrypted) secrets.push(s.value);
        }
      }
      // Settings-catalog secret values: Graph's tokens, stored as read.
      secrets.push(...secretTokensIn(item.content));
    }
    expect(secrets.filter((s) => s.startsWith("Emulated-zipworks-admin-password-")).length).toBeGreaterThan(3);
    expect(secrets.length).toBeGreaterThan(12);

    const wifi = await sealedSet([
      {
        name: "Office Wi-Fi",
        content: {
          "@odata.type": "#microsoft.graph.windowsWifiConfiguration",
          preSharedKey: "wifi-psk-Zw9!unique",
          nested: { vpn: { sharedSecret: "vpn-shared-Zw9!unique", passwordRequired: true } },
          assignments: [],
        },
      },
    ]);
    secrets.push("wifi-psk-Zw9!unique", "vpn-shared-Zw9!unique");

    for (const setId of [backupSetId, wifi]) {
      const zip = await collect((await exportOf(owner.id, setId)).stream);
      const entries = await unzip(zip);
      const everything = Buffer.concat([zip, ...entries.values()]).toString("latin1");
      const text = [...entries.values()].map((b) => b.toString("utf8")).join("\n");
      for (const secret of secrets) {
        expect(everything).not.toContain(secret);
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain(SEALED_SECRETS_KEY);
      expect(text).not.toContain(MASKED_SECRET);
      expect(text).toContain(setId === wifi ? EXPORTED_SECRET : OMA_SECRET_MARKER);
    }
  });

  it("names entries safely whatever the policy names, and keeps the Markdown's tables whole", async () => {
    const sameId = crypto.randomUUID();
    const hostile = [
      "../../../etc/passwd",
      "/absolute/name",
      "C:\\Windows\\system32",
      "..",
      ".hidden",
      "",
      "CON",
      "tab\tnew\nline\u0001soh\u001b[31mred\u202egnp.exe", // (PostgreSQL text holds no NUL)
      "x".repeat(2000),
      "名前 ünïcødé 🚀".repeat(10),
      "Same name",
      "Same name",
      "| pipe | `tick` <b>bold</b> **em** [link](https://evil.example) ![img](x)\n# heading",
    ];
    const items = hostile.map((name, i) => ({
      name,
      policyId: i >= 10 && i <= 11 ? sameId : undefined,
      content: {
        "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
        displayName: name,
        description: "line one\nline two | `code` <script>alert(1)</script>",
        omaSettings: [{ omaUri: "./Vendor/|x|", displayName: "a\nb", value: "`v`|\r\nw" }],
        assignments: [
          {
            target: {
              "@odata.type": "#microsoft.graph.groupAssignmentTarget",
              groupId: "not-a-uuid'; drop table x;--",
            },
          },
        ],
      },
    }));
    const setId = await sealedSet(items);
    const entries = await unzip(await collect((await exportOf(owner.id, setId)).stream));
    const names = [...entries.keys()].filter((n) => n !== MARKDOWN_ENTRY);
    expect(names).toHaveLength(hostile.length);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(hostile.length);
    for (const name of names) {
      expect(name).toMatch(/^device_configuration\/[^/\\]+\.json$/);
      const file = name.split("/")[1]!;
      expect(file.startsWith(".")).toBe(false);
      expect(file).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e:*?"<>|]/);
      expect(Buffer.byteLength(file)).toBeLessThanOrEqual(255);
    }
    expect(names.filter((n) => /^device_configuration\/_CON-[0-9a-f-]{36}\.json$/.test(n))).toHaveLength(1);
    expect(names).toContain(`device_configuration/Same name-${sameId}.json`);
    expect(names).toContain(`device_configuration/Same name-${sameId}-2.json`);
    // Every JSON still parses to its item.
    for (const data of [...entries].filter(([n]) => n !== MARKDOWN_ENTRY).map(([, d]) => d)) {
      expect(hostile).toContain(JSON.parse(data.toString("utf8")).displayName);
    }

    const markdown = entries.get(MARKDOWN_ENTRY)!.toString("utf8");
    expect(markdown).not.toMatch(/^# heading/m);
    expect(markdown).not.toContain("<script>");
    expect(markdown).not.toContain("<b>");
    expect(markdown).not.toMatch(/[^\\]`/);
    expect(markdown).not.toMatch(/[^\\]\[link\]/);
    // Each table row has exactly as many unescaped pipes as its table's header.
    const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
    const pipes = (line: string) => line.replace(/\\./g, "").split("|").length - 1;
    expect(new Set(rows.map(pipes))).toEqual(new Set([3, 4]));
    expect(markdown).toContain("| Include | group not-a-uuid'; drop table x;--");
  });

  it("refuses a set of another tenant (404 to its viewers), an unknown or malformed id, and an incomplete set", async () => {
    const outsider = await createUser(h.db, "Other tenant's viewer");
    const otherTenant = await createTestTenant(h.db, outsider.id, { displayName: "Elsewhere" });
    await expect(exportOf(outsider.id, backupSetId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      openBackupExport(h.db, {
        actor: { userId: outsider.id, name: "x" },
        tenantId: otherTenant.id,
        backupSetId,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(exportOf(owner.id, crypto.randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(exportOf(owner.id, "../etc")).rejects.toBeInstanceOf(NotFoundError);

    const viewer = await createUser(h.db, "Zip viewer");
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
    const { stream } = await exportOf(viewer.id, backupSetId);
    const stored = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backupSetId));
    expect((await unzip(await collect(stream))).size).toBe(stored.length + 1);

    const [open] = await h.db.insert(backupSets).values({ tenantId, name: "Unfinished", selection: null }).returning();
    const refused = await exportOf(viewer.id, open!.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toMatch(/never completed/);
  });

  it("streams: the first bytes leave before the last item is read, and a client that goes away stops the reading", async () => {
    const template = (
      await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backupSetId)).limit(1)
    )[0]!;
    const n = 2000;
    const setId = await sealedSet(
      Array.from({ length: n }, (_, i) => ({
        name: `Policy ${i}`,
        family: template.family,
        content: template.content,
      })),
    );
    const { stream, progress } = await exportOf(owner.id, setId);
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.value!.byteLength).toBeGreaterThan(0);
    expect(progress.itemsRead).toBeLessThan(2 * n); // both passes together read 2n rows
    for (let i = 0; i < 3; i++) await reader.read();
    await reader.cancel();
    const readAtCancel = progress.itemsRead;
    await new Promise((r) => setTimeout(r, 1500));
    expect(progress.itemsRead).toBeLessThanOrEqual(readAtCancel + 100); // at most the batch in flight
    expect(progress.itemsRead).toBeLessThan(n);
    expect(progress.done).toBe(false);
  });

  it("holds about two batches however large the set: what it wrote is let go", async () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const held = () => {
      gc();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const n = 1500;
    // ~20 kB per item: the set is ~30 MB of JSON, 15 MB of it written when the heap is measured.
    const setId = await sealedSet(
      Array.from({ length: n }, (_, i) => ({ name: `Large ${i}`, content: { notes: `${i}`.padEnd(20_000, "x") } })),
    );
    const before = held();
    const { stream, progress } = await exportOf(owner.id, setId);
    const reader = stream.getReader();
    // The Markdown pass reads all n first; at 1.5 n the JSON files are half written.
    while (progress.itemsRead < 1.5 * n) await reader.read();
    const midway = held();
    await reader.cancel();
    expect((midway - before) / 2 ** 20).toBeLessThan(10);
  });

  it("fails the download, rather than ending a shorter valid zip, when the set is deleted during its export", async () => {
    const template = (
      await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backupSetId)).limit(1)
    )[0]!;
    const setId = await sealedSet(
      Array.from({ length: 1000 }, (_, i) => ({
        name: `Gone ${i}`,
        family: template.family,
        content: template.content,
      })),
    );
    const { stream } = await exportOf(owner.id, setId);
    const reader = stream.getReader();
    await reader.read();
    await h.db.delete(backupSets).where(eq(backupSets.id, setId));
    await expect(
      (async () => {
        for (let r = await reader.read(); !r.done; r = await reader.read());
      })(),
    ).rejects.toThrow(/changed during its export/);
  });
});
