import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { driftBaselineEntries, type PolicyFamily } from "@/db/schema";
import { cacheCreatedReference } from "@/lib/directory/references";
import { baselineAssignTargets } from "@/lib/drift/assignments";
import { actionableFindingOf } from "@/lib/drift/findings";
import { revertRequest } from "@/lib/drift/revert";
import { baselineScopeTags } from "@/lib/drift/scope-tags";
import { InputError } from "@/lib/errors";
import { createKey, withMarker } from "@/lib/graph/create-marker";
import { createOnce } from "@/lib/graph/create-once";
import { createPath, partUpdateBody } from "@/lib/intune/created-by";
import { priorityBody } from "@/lib/intune/ranks";
import { targetAppsBody } from "@/lib/intune/target-apps";
import { leftOutAppsNote, withoutTenantApps } from "@/lib/intune/tenant-apps";
import { intuneType, isBuiltInDefault, partOf, scopeTagPropertyOf } from "@/lib/intune/types";
import { OperationError } from "@/lib/operations/errors";
import { ItemRefusal } from "@/lib/restores/item-refusal";
import { notificationTemplateMatches, templateNamesInBaseline } from "@/lib/restores/notification-templates";
import { creationBody } from "@/lib/restores/payload";
import { referencedTemplateIds, referenceRefusal, withMappedGroupReferences } from "@/lib/restores/references";
import { actionWhenSettled } from "../consistency";
import { requireCreatedFrom } from "../created-by";
import { completeDefinitionValues, revertDefinitionValues } from "../definition-values";
import { FAMILY_PATHS, isPermanent } from "../intune";
import { setPartItems } from "../part-items";
import { setAssignments } from "../set-assignments";
import { updateTenantDefault } from "../tenant-defaults";
import type { OperationHandler } from "../types";

/**
 * drift.revert: puts one policy back to its baseline version. A changed policy is updated in place
 * (same id: PATCH or, for the settings catalog, PUT — lib/drift/revert.ts); a missing one is created
 * once (lib/graph/create-once.ts: a retry adopts what an earlier attempt created). Its assignments
 * are set to the baseline's when they drifted, or when it was recreated. Both writes are idempotent,
 * so a retried attempt simply does them again.
 */
export const revertDrift: OperationHandler<{ findingId: string }> = async (ctx) => {
  const tenantId = ctx.run.tenantId;
  const finding = await actionableFindingOf(ctx.db, { tenantId, findingId: ctx.inputs.findingId }).catch(
    (err: unknown) => {
      throw err instanceof InputError ? new OperationError("finding_missing", err.message) : err;
    },
  );
  const [entry] = finding.baselineEntryId
    ? await ctx.db
        .select()
        .from(driftBaselineEntries)
        .where(and(eq(driftBaselineEntries.tenantId, tenantId), eq(driftBaselineEntries.id, finding.baselineEntryId)))
    : [];
  if (finding.kind === "new" || !entry)
    throw new OperationError(
      "no_baseline_version",
      "The baseline holds no version of this policy (it is new, or the baseline changed since): detect drift again.",
    );
  const graph = await ctx.graph();
  const collection = FAMILY_PATHS[entry.family];
  const crossTenant = entry.sourceTenantId !== tenantId;
  try {
    const reverted = revertRequest(entry.family, entry.content);
    // Another tenant's app ids name nothing here: a changed policy keeps its targeted apps, a
    // recreated one has none, and the failure names the apps to choose.
    const request = crossTenant ? { ...reverted, body: withoutTenantApps(entry.family, reverted.body) } : reverted;
    const appsLeftOut = crossTenant && finding.kind === "missing" ? leftOutAppsNote(entry.family, entry.content) : null;
    if (appsLeftOut) await ctx.addFailure({ code: "apps_not_reverted", message: appsLeftOut, item: entry.name });
    // Scope tags of another tenant's baseline by name; without a namesake the tags stay as they are.
    const tags = await baselineScopeTags(ctx.db, { tenantId, entry });
    const tagProperty = scopeTagPropertyOf(entry.family);
    if (tags.ids) request.body[tagProperty] = tags.ids;
    else delete request.body[tagProperty];
    if (tags.unmapped.length)
      await ctx.addFailure({
        code: "scope_tags_not_reverted",
        message: `Scope tags not reverted: ${tags.unmapped.join(", ")} of the baseline has no single namesake in this tenant. Set them by hand, or sync filters and scope tags and revert again.`,
        item: entry.name,
      });
    let policyId = finding.policyId;
    let createdAt: number | undefined;
    if (finding.kind === "changed" && policyId) {
      await graph
        .api(`${collection}/${policyId}`)
        .version("beta")
        .option("signal", ctx.signal)
        [request.method](request.body);
      // A filter or tag renamed back: its name in this tenant's cache now (restore maps by it).
      await cacheCreatedReference(ctx.db, { tenantId, family: entry.family, id: policyId, body: request.body });
      // An intent's settings are not in the object: its updateSettings sets each baseline setting again.
      if (intuneType(entry.family).partSetBy === "updateSettings")
        await graph
          .api(`${collection}/${policyId}/updateSettings`)
          .version("beta")
          .option("signal", ctx.signal)
          .post(partUpdateBody(entry.family, entry.content));
      // An administrative template's values are not in the object: put back on their own.
      const part = intuneType(entry.family).pagedPart;
      if (part && intuneType(entry.family).partSetBy === "updateDefinitionValues") {
        const leftOut = await revertDefinitionValues(graph, {
          policyPath: `${collection}/${policyId}`,
          part,
          values: partOf(entry.family, entry.content),
          crossTenant,
          graphUrl: ctx.graphUrl,
          signal: ctx.signal,
        });
        if (leftOut.length)
          await ctx.addFailure({
            code: "values_not_reverted",
            message: `Values not reverted: ${leftOut.join("; ")}.`,
            item: entry.name,
          });
      }
    } else if (isBuiltInDefault(entry.family, entry.content)) {
      // A tenant default is never missing for good: this tenant's own is updated in place, never created.
      policyId = await updateTenantDefault(graph, {
        family: entry.family,
        content: entry.content,
        body: request.body,
        signal: ctx.signal,
      });
    } else {
      const fromBaseline = await withTargetTemplates(ctx.db, {
        entry,
        tenantId,
        body: creationBody(entry.family, entry.content),
      });
      const body = crossTenant ? withoutTenantApps(entry.family, fromBaseline) : fromBaseline;
      if (tags.ids) body[tagProperty] = tags.ids;
      else delete body[tagProperty];
      await requireCreatedFrom(graph, { family: entry.family, content: entry.content, signal: ctx.signal });
      const created = await createOnce(graph, ctx.db, {
        runId: ctx.run.id,
        tenantId,
        collection,
        postTo: createPath(entry.family, entry.content),
        itemKey: createKey({ driftRevert: entry.id }),
        body: (marker) => ({ ...body, description: withMarker(body.description, marker) }),
        signal: ctx.signal,
        // A later Revert of the same finding (this one failed after the create) finishes this one.
        reuseEarlier: true,
      });
      policyId = created.id;
      createdAt = Date.now();
      await cacheCreatedReference(ctx.db, { tenantId, family: entry.family, id: policyId, body });
      // An administrative template's values, after its create (a retried Revert adds only what is missing).
      if (intuneType(entry.family).partSetBy === "updateDefinitionValues") {
        const leftOut = await completeDefinitionValues(graph, {
          policyPath: `${collection}/${policyId}`,
          values: partOf(entry.family, entry.content),
          crossTenant,
          graphUrl: ctx.graphUrl,
          createdAt,
          signal: ctx.signal,
        });
        if (leftOut.length)
          await ctx.addFailure({
            code: "values_not_reverted",
            message: `Values not reverted: ${leftOut.join("; ")}.`,
            item: entry.name,
          });
      }
    }
    // Items of their own navigation (a template's localized messages): the baseline's, and only those.
    await setPartItems(graph, {
      family: entry.family,
      policyPath: `${collection}/${policyId}`,
      content: entry.content,
      exact: true,
      createdAt,
      signal: ctx.signal,
    });
    // An enrollment configuration's rank, which neither a PATCH nor a create sets (the same value again changes nothing).
    const rank = priorityBody(entry.family, entry.content);
    if (rank)
      await actionWhenSettled(graph, {
        policyPath: `${collection}/${policyId}`,
        action: rank.action,
        body: rank.body,
        createdAt,
        signal: ctx.signal,
      });
    // Apps are set by their own action, never by a PATCH or a create.
    const apps = targetAppsBody(entry.family, entry.content);
    if (apps && (finding.kind === "missing" || finding.changes.some((c) => c.key === "property:apps")))
      await actionWhenSettled(graph, {
        policyPath: `${collection}/${policyId}`,
        action: apps.action,
        body: apps.body,
        createdAt,
        signal: ctx.signal,
      });
    const assignmentsDrifted =
      finding.kind === "missing" || finding.changes.some((c) => c.key.startsWith("assignment:"));
    const { assignments, unmapped } = await baselineAssignTargets(ctx.db, { tenantId, entry });
    // Setting the assignments replaces every one: with a target left out it would silently drop it.
    if (assignmentsDrifted && unmapped)
      await ctx.addFailure({
        code: "assignments_not_reverted",
        message: `Assignments not reverted: ${unmapped} of the baseline's assignment(s) name a group or an assignment filter without a single namesake in this tenant. Assign it by hand, or sync the directory (and filters) and revert again.`,
        item: entry.name,
      });
    else if (
      assignmentsDrifted &&
      (assignments.length || finding.kind === "changed") &&
      !isBuiltInDefault(entry.family, entry.content)
    )
      await setAssignments(graph, {
        family: entry.family,
        policyPath: `${collection}/${policyId}`,
        assignments,
        createdAt,
        signal: ctx.signal,
      });
    const created = finding.kind === "missing" && !isBuiltInDefault(entry.family, entry.content);
    await ctx.progress({ reverted: 1, created: created ? 1 : 0 });
  } catch (err) {
    if (err instanceof ItemRefusal) throw new OperationError(err.code, err.message);
    if (isPermanent(err))
      throw new OperationError(`graph_${err.statusCode}`, `Graph answered ${err.statusCode}: ${err.message}`);
    throw err;
  }
};

/**
 * A baseline of another tenant recreated here: its notifications' templates swapped for this
 * tenant's namesakes (by the inventory), never sent with the other tenant's ids; without a single
 * namesake the Revert stops with what is missing named.
 */
async function withTargetTemplates(
  db: DbOrTx,
  {
    entry,
    tenantId,
    body,
  }: {
    entry: { family: PolicyFamily; content: Record<string, unknown>; sourceTenantId: string };
    tenantId: string;
    body: Record<string, unknown>;
  },
) {
  const ids = referencedTemplateIds(entry.family, entry.content);
  if (entry.sourceTenantId === tenantId || !ids.length) return body;
  const sourceNames = await templateNamesInBaseline(db, { tenantId, sourceTenantId: entry.sourceTenantId, ids });
  const templates = await notificationTemplateMatches(db, { targetTenantId: tenantId, ids, sourceNames });
  const refusal = referenceRefusal(
    { family: entry.family, content: { scheduledActionsForRule: entry.content.scheduledActionsForRule } },
    { crossTenant: true, mapping: {}, templates },
  );
  if (refusal) throw new OperationError("template_not_mapped", refusal.replace(/^Not restored/, "Not reverted"));
  return withMappedGroupReferences(body, {}, templates);
}
