import { GraphError } from "@microsoft/microsoft-graph-client";
import { describe, expect, it } from "vitest";
import { describeAccessFailure, readableGraphMessage } from "./access-failure";

const graphError = (status: number, code: string, message: string) =>
  Object.assign(new GraphError(status, message), { code, requestId: "req-1" });

describe("describeAccessFailure", () => {
  it("names what an operation needs when Entra ID refuses without saying", () => {
    const failure = describeAccessFailure(
      graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
      "directory_groups.sync",
    );
    expect(failure).toMatchObject({ code: "graph_permission_missing", retryable: false });
    expect(failure!.message).toBe(
      "Microsoft Graph refused Sync groups (403 Authorization_RequestDenied): Insufficient privileges to complete the operation. (request-id req-1). Sync groups needs the application permission GroupMember.Read.All (or Group.Read.All, Directory.Read.All, Group.ReadWrite.All, Directory.ReadWrite.All), granted with admin consent; run Verify connection to see what the app has.",
    );
  });

  it("says a tenant has no Intune when Intune answers that the request is not applicable", () => {
    const failure = describeAccessFailure(
      graphError(400, "BadRequest", "Request not applicable to target tenant."),
      "backup_set.create",
    );
    expect(failure).toMatchObject({ code: "intune_not_licensed" });
    expect(
      describeAccessFailure(graphError(400, "BadRequest", "Request not applicable to target tenant."), "tenant.verify"),
    ).toBeUndefined();
    expect(describeAccessFailure(graphError(400, "BadRequest", "Bad body"), "restore.execute")).toBeUndefined();
    expect(describeAccessFailure(graphError(403, "Forbidden", "x"), "test.noop")).toBeUndefined();
  });

  it("reads the sentence out of Intune's JSON-in-a-message", () => {
    const inner = JSON.stringify(
      {
        _version: 3,
        Message: "Application is not authorized. - Operation ID (for customer support): 0 - Activity ID: 1",
      },
      null,
      2,
    ).replace(/\n/g, "\r\n");
    expect(readableGraphMessage(inner)).toBe("Application is not authorized.");
    expect(readableGraphMessage("{ not json")).toBe("{ not json");
    expect(readableGraphMessage("plain")).toBe("plain");
  });
});
