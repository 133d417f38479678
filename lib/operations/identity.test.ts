import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson, runIdentityHash } from "./identity";

const TENANT = "0b6a7c3e-1111-4222-8333-444455556666";

describe("canonicalJson", () => {
  it("sorts object keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it("is valid JSON for the same value, hostile keys and strings included", () => {
    const value = { 'quote"key': "line\nbreak", "\u2028": ["</script>", { "": 0 }], "{": "}" };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it("leaves out undefined properties, as JSON does, and writes a missing value as null", () => {
    expect(canonicalJson({ a: 1, skipped: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson([undefined, null])).toBe("[null,null]");
  });
});

describe("runIdentityHash", () => {
  it("is the sha256 of tenant, type and canonical inputs, one per line", () => {
    const expected = createHash("sha256").update(`${TENANT}\ninventory.sync\n{"a":1,"b":[2,3]}`).digest("hex");
    expect(runIdentityHash(TENANT, "inventory.sync", { b: [2, 3], a: 1 })).toBe(expected);
  });

  it("does not depend on the order of the inputs' keys, at any depth", () => {
    const a = runIdentityHash(TENANT, "restore.execute", { backupSetId: "b", mapping: { s1: "t1", s2: "t2" } });
    const b = runIdentityHash(TENANT, "restore.execute", { mapping: { s2: "t2", s1: "t1" }, backupSetId: "b" });
    expect(a).toBe(b);
  });

  it("differs when the tenant, the type or any input differs, list order included", () => {
    const base = runIdentityHash(TENANT, "backup_set.create", { itemIds: ["1", "2"] });
    const others = [
      runIdentityHash("0b6a7c3e-1111-4222-8333-444455556667", "backup_set.create", { itemIds: ["1", "2"] }),
      runIdentityHash(TENANT, "inventory.sync", { itemIds: ["1", "2"] }),
      runIdentityHash(TENANT, "backup_set.create", { itemIds: ["2", "1"] }),
      runIdentityHash(TENANT, "backup_set.create", { itemIds: ["1"] }),
      runIdentityHash(TENANT, "backup_set.create", {}),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it("treats no inputs, null and undefined alike, but not as an empty object", () => {
    const none = runIdentityHash(TENANT, "tenant.verify", undefined);
    expect(runIdentityHash(TENANT, "tenant.verify", null)).toBe(none);
    expect(runIdentityHash(TENANT, "tenant.verify", {})).not.toBe(none);
    expect(none).toMatch(/^[0-9a-f]{64}$/);
  });
});
