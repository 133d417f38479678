import { OperationError } from "@/lib/operations/errors";
import { recordVerification } from "@/lib/tenants/service";
import type { OperationHandler } from "../types";

type Organization = {
  id: string;
  displayName: string;
  verifiedDomains?: { name: string; isDefault?: boolean }[];
};

/**
 * tenant.verify: sign in as the app (client credentials) and read /organization. Success stores
 * the organization on the tenant; a sign-in the identity platform refuses ends the run at once.
 */
export const verifyTenant: OperationHandler = async (ctx) => {
  await ctx.progress({ total: 1, processed: 0 });
  try {
    const graph = await ctx.graph();
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
    const defaultDomain = org.verifiedDomains?.find((d) => d.isDefault)?.name ?? null;
    await recordVerification(ctx.db, ctx.run.tenantId, { ok: true, organizationName: org.displayName, defaultDomain });
    await ctx.progress({ processed: 1, succeeded: 1 });
  } catch (err) {
    if (err instanceof OperationError && !err.retryable) {
      await recordVerification(ctx.db, ctx.run.tenantId, { ok: false, error: err.message });
    }
    throw err;
  }
};
