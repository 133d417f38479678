import { describe, expect, it } from "vitest";
import { accessView } from "./access-view";

describe("accessView", () => {
  it("is null until a verification checked the app", () => {
    expect(accessView(null)).toBeNull();
  });

  it("names each missing permission with the labels of the operations needing it", () => {
    const view = accessView({
      appPermissions: ["Organization.Read.All", "GroupMember.Read.All"],
      permissionGaps: [
        {
          permission: "DeviceManagementConfiguration.ReadWrite.All",
          alternatives: [],
          operations: ["inventory.sync", "restore.execute"],
        },
      ],
      intuneStatus: "notLicensed",
    })!;
    expect(view.gaps).toEqual([
      {
        permission: "DeviceManagementConfiguration.ReadWrite.All",
        alternatives: [],
        operations: ["Sync inventory", "Restore policies"],
      },
    ]);
    expect(view.intune).toMatchObject({ status: "notLicensed", label: "No Intune licence", tone: "error" });
    expect(view.granted).toEqual(["GroupMember.Read.All", "Organization.Read.All"]);
  });

  it("words a subscription state it has no phrase for as a warning", () => {
    const view = accessView({ appPermissions: null, permissionGaps: [], intuneStatus: "lockedOut" })!;
    expect(view.intune).toMatchObject({ label: "Subscription lockedOut", tone: "warning" });
    expect(view.granted).toBeNull();
  });
});
