import { GraphError } from "@microsoft/microsoft-graph-client";
import { applicationPermissionsOf } from "@/lib/graph/token-claims";
import { OperationError } from "@/lib/operations/errors";
import { INTUNE_OPERATIONS, type PermissionGap, permissionGaps } from "@/lib/operations/permissions";
import { operationLabel } from "@/lib/operations/registry";
import { claimTenantGuid, GUID_HELD_ELSEWHERE } from "@/lib/tenants/guid-claim";
import { recordVerification } from "@/lib/tenants/service";
import { readIntuneStatus } from "../intune-subscription";
import type { OperationContext, OperationHandler } from "../types";

type Organization = {
  id: string;
  displayName: string;
  verifiedDomains?: { name: string; isDefault?: boolean }[];
};

const listOf = (labels: string[]) =>
  labels.length > 1 ? `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}` : (labels[0] ?? "");

/** One failure per permission to grant, naming the operations that need it. */
function gapFailure(gap: PermissionGap) {
  const labels = gap.operations.map((type) => operationLabel(type));
  const instead = gap.alternatives.length ? ` (or one of ${gap.alternatives.join(", ")})` : "";
  return {
    code: "permission_missing",
    item: gap.permission,
    message: `${listOf(labels)} need${labels.length === 1 ? "s" : ""} the application permission ${gap.permission}${instead}, which this app registration has not been granted. Add it under API permissions (Microsoft Graph, application) with admin consent, then verify again.`,
  };
}

function intuneFailure(status: string) {
  const labels = listOf(INTUNE_OPERATIONS.map((type) => operationLabel(type)));
  return status === "notLicensed"
    ? {
        code: "intune_not_licensed",
        message: `This tenant has no Intune subscription (Graph: "Request not applicable to target tenant."). ${labels} need an active Intune licence.`,
      }
    : {
        code: "intune_not_active",
        message: `The tenant's Intune subscription is "${status}", not active; ${labels} may be refused.`,
      };
}

/** GET /organization, or undefined when Graph refuses to show it for want of a permission. */
async function readOrganization(ctx: OperationContext): Promise<Organization | undefined> {
  const graph = await ctx.graph();
  try {
    const response = (await graph
      .api("/organization")
      .version("v1.0")
      .select(["id", "displayName", "verifiedDomains"])
      .option("signal", ctx.signal)
      .get()) as { value: Organization[] };
    const org = response.value[0];
    if (!org)
      throw new OperationError("organization_missing", "Microsoft Graph returned no organization for this tenant.");
    if (org.id.toLowerCase() !== ctx.tenant.tenantGuid.toLowerCase()) {
      throw new OperationError("organization_mismatch", `Graph answered for organization ${org.id}, not this tenant.`);
    }
    return org;
  } catch (err) {
    // Signed in, but not allowed to read the organization: the permission check below says why.
    if (err instanceof GraphError && err.statusCode === 403) return undefined;
    throw err;
  }
}

/**
 * tenant.verify: sign in as the app (client credentials), read /organization, then check what the
 * app may do: the application permissions its token carries against what each operation needs,
 * and whether the tenant has Intune. A successful sign-in claims the tenant GUID for this registration
 * (refused when another registration holds it). The connection check succeeds when the sign-in does; each
 * missing permission and a tenant without Intune is a failure of the run (→ partially succeeded)
 * and is stored for the tenant page. A sign-in the identity platform refuses ends the run at once.
 */
export const verifyTenant: OperationHandler = async (ctx) => {
  await ctx.progress({ total: 1, processed: 0 });
  try {
    const org = await readOrganization(ctx);
    const granted = applicationPermissionsOf(await ctx.appAccessToken());
    // The app signed in to this Entra tenant: that proof, and only that, claims its GUID.
    if (!(await claimTenantGuid(ctx.db, ctx.run.tenantId))) {
      throw new OperationError("tenant_claimed_elsewhere", GUID_HELD_ELSEWHERE);
    }
    const intuneStatus = await readIntuneStatus(await ctx.graph(), ctx.signal);
    const gaps = granted ? permissionGaps(granted) : [];
    await recordVerification(ctx.db, ctx.run.tenantId, {
      ok: true,
      organization: org && {
        name: org.displayName,
        defaultDomain: org.verifiedDomains?.find((d) => d.isDefault)?.name ?? null,
      },
      access: { appPermissions: granted ?? null, permissionGaps: gaps, intuneStatus },
    });
    for (const gap of gaps) await ctx.addFailure(gapFailure(gap));
    if (!granted)
      await ctx.addFailure({
        code: "permissions_unreadable",
        message: "The app's access token did not show its permissions, so they could not be checked.",
      });
    if (intuneStatus !== "active" && intuneStatus !== "unknown") await ctx.addFailure(intuneFailure(intuneStatus));
    await ctx.progress({ processed: 1, succeeded: 1 });
  } catch (err) {
    if (err instanceof OperationError && !err.retryable) {
      await recordVerification(ctx.db, ctx.run.tenantId, { ok: false, error: err.message });
    }
    throw err;
  }
};
