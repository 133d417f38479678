import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GROUP_SEARCH_SCOPE, INTUNE_OPERATIONS, OPERATION_PERMISSIONS, permissionGaps } from "./permissions";
import { operations } from "./registry";

const ALL = [
  "Organization.Read.All",
  "GroupMember.Read.All",
  "DeviceManagementConfiguration.ReadWrite.All",
  "DeviceManagementScripts.ReadWrite.All",
  "DeviceManagementServiceConfig.ReadWrite.All",
  "DeviceManagementApps.ReadWrite.All",
  "DeviceManagementRBAC.ReadWrite.All",
];

describe("permissionGaps", () => {
  it("finds nothing missing when the app holds the least privileged set", () => {
    expect(permissionGaps(ALL)).toEqual([]);
    // Higher privileged alternatives do as well.
    expect(
      permissionGaps([
        "Directory.ReadWrite.All",
        "DeviceManagementConfiguration.ReadWrite.All",
        "DeviceManagementScripts.ReadWrite.All",
        "DeviceManagementServiceConfig.ReadWrite.All",
        "DeviceManagementApps.ReadWrite.All",
        "DeviceManagementRBAC.ReadWrite.All",
      ]),
    ).toEqual([]);
  });

  it("names one permission covering every operation that lacks it", () => {
    expect(permissionGaps(ALL.filter((p) => !p.startsWith("DeviceManagementConfiguration")))).toEqual([
      {
        permission: "DeviceManagementConfiguration.ReadWrite.All",
        alternatives: [],
        operations: [
          "inventory.sync",
          "backup_set.create",
          "restore.execute",
          "drift.detect",
          "drift.revert",
          "directory_references.sync",
        ],
      },
    ]);
  });

  it("asks only for what is missing beyond a read-only grant", () => {
    expect(
      permissionGaps([
        "Organization.Read.All",
        "GroupMember.Read.All",
        "DeviceManagementConfiguration.Read.All",
        "DeviceManagementScripts.Read.All",
        "DeviceManagementServiceConfig.Read.All",
        "DeviceManagementApps.Read.All",
        "DeviceManagementRBAC.Read.All",
      ]),
    ).toEqual([
      // A backup reads custom OMA-URI secrets in plain text, which needs ReadWrite.All.
      {
        permission: "DeviceManagementConfiguration.ReadWrite.All",
        alternatives: [],
        operations: ["backup_set.create", "restore.execute", "drift.revert"],
      },
      {
        permission: "DeviceManagementScripts.ReadWrite.All",
        alternatives: [],
        operations: ["restore.execute", "drift.revert"],
      },
      {
        permission: "DeviceManagementServiceConfig.ReadWrite.All",
        alternatives: [],
        operations: ["restore.execute", "drift.revert"],
      },
      {
        permission: "DeviceManagementApps.ReadWrite.All",
        alternatives: [],
        operations: ["restore.execute", "drift.revert"],
      },
      { permission: "DeviceManagementRBAC.ReadWrite.All", alternatives: [], operations: ["rbac.assign"] },
    ]);
  });

  it("asks for DeviceManagementScripts for the operations reading or writing scripts and remediations", () => {
    expect(permissionGaps(ALL.filter((p) => !p.startsWith("DeviceManagementScripts")))).toEqual([
      {
        permission: "DeviceManagementScripts.ReadWrite.All",
        alternatives: [],
        operations: ["inventory.sync", "backup_set.create", "restore.execute", "drift.detect", "drift.revert"],
      },
    ]);
  });

  it("asks for DeviceManagementServiceConfig for the operations reading or writing Autopilot profiles", () => {
    expect(permissionGaps(ALL.filter((p) => !p.startsWith("DeviceManagementServiceConfig")))).toEqual([
      {
        permission: "DeviceManagementServiceConfig.ReadWrite.All",
        alternatives: [],
        operations: ["inventory.sync", "backup_set.create", "restore.execute", "drift.detect", "drift.revert"],
      },
    ]);
  });

  it("asks for DeviceManagementApps for the operations reading or writing app protection policies", () => {
    expect(permissionGaps(ALL.filter((p) => !p.startsWith("DeviceManagementApps")))).toEqual([
      {
        permission: "DeviceManagementApps.ReadWrite.All",
        alternatives: [],
        operations: ["inventory.sync", "backup_set.create", "restore.execute", "drift.detect", "drift.revert"],
      },
    ]);
  });

  it("suggests the least privileged member of an any-of set, with the others as alternatives", () => {
    expect(permissionGaps(ALL.filter((p) => p !== "GroupMember.Read.All"))).toEqual([
      {
        permission: "GroupMember.Read.All",
        alternatives: ["Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
        operations: ["directory_groups.sync"],
      },
    ]);
  });

  it("covers every operation of the registry", () => {
    expect(Object.keys(OPERATION_PERMISSIONS).sort()).toEqual(Object.keys(operations).sort());
  });
});

describe("the README's real-tenant section", () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("**A real Microsoft tenant.**"), readme.indexOf("**Scale out.**"));

  it("lists, for every operation, each application permission it needs", () => {
    expect(section.length).toBeGreaterThan(0);
    const rows = section.split("\n").filter((line) => line.startsWith("|"));
    for (const [type, sets] of Object.entries(OPERATION_PERMISSIONS)) {
      const row = rows.find((r) => r.includes(`\`${type}\``));
      expect(row, `a row for ${type}`).toBeDefined();
      for (const set of sets) for (const permission of set) expect(row, `${type}: ${permission}`).toContain(permission);
    }
  });

  it("names the delegated scope of the group search and the Intune licence", () => {
    expect(section).toContain(`\`${GROUP_SEARCH_SCOPE}\` (delegated)`);
    expect(section).toMatch(/Intune licen[cs]e/);
    for (const type of INTUNE_OPERATIONS) expect(section).toContain(`\`${type}\``);
  });
});
