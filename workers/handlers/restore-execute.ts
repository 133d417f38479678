import { eq } from "drizzle-orm";
import { backupSets } from "@/db/schema";
import { cacheCreatedReference } from "@/lib/directory/references";
import { InputError } from "@/lib/errors";
import { createKey, withMarker } from "@/lib/graph/create-marker";
import { createOnce } from "@/lib/graph/create-once";
import { createPath } from "@/lib/intune/created-by";
import { priorityBody } from "@/lib/intune/ranks";
import { targetAppsBody } from "@/lib/intune/target-apps";
import { leftOutAppsNote, withoutTenantApps } from "@/lib/intune/tenant-apps";
import { intuneType, isBuiltInDefault, partOf, scopeTagPropertyOf } from "@/lib/intune/types";
import { OperationError } from "@/lib/operations/errors";
import { ItemRefusal } from "@/lib/restores/item-refusal";
import { creationBody, leftOutNote, plannedAssignments } from "@/lib/restores/payload";
import { leftOutReferencesNote, type RestoreInputs, restorePlan } from "@/lib/restores/plan";
import { recordRestoreItem, restoreItemsOf } from "@/lib/restores/results";
import { bodyForTarget } from "@/lib/restores/target-body";
import { openOmaPlaintext } from "@/lib/secrets/oma-settings";
import { actionWhenSettled } from "../consistency";
import { requireCreatedFrom } from "../created-by";
import { completeDefinitionValues } from "../definition-values";
import { FAMILY_PATHS, isPermanent, itemFailure } from "../intune";
import { setPartItems } from "../part-items";
import { setAssignments } from "../set-assignments";
import { updateTenantDefault } from "../tenant-defaults";
import type { OperationHandler } from "../types";

/**
 * restore.execute: recreates each chosen backup item in the run's tenant, gives it its apps (app
 * protection: `targetApps`, not part of a create), then the mapped assignments, the way its type is assigned (workers/set-assignments.ts). The plan is worked out again
 * from the database, so a group that left the cache since the start is refused rather than guessed. Each item's result is
 * recorded as it happens; a retried run assigns policies it already created instead of duplicating them,
 * and a create whose answer was lost is found in the tenant and adopted (lib/graph/create-once.ts).
 * An item the plan refuses (secrets to re-enter, references that cannot cross tenants) is a named
 * failure without a call to Graph; encrypted OMA-URI values go back in plain text, never as ciphertext.
 */
const groupSkipped = (item: { assignments: { skipReason?: string }[] }) =>
  item.assignments.filter((a) => a.skipReason === "group").length;

export const executeRestore: OperationHandler<RestoreInputs> = async (ctx) => {
  const [set] = await ctx.db
    .select({ tenantId: backupSets.tenantId })
    .from(backupSets)
    .where(eq(backupSets.id, ctx.inputs.backupSetId));
  if (!set) throw new OperationError("backup_missing", "The backup set no longer exists.");
  const plan = await restorePlan(ctx.db, {
    targetTenantId: ctx.run.tenantId,
    sourceTenantId: set.tenantId,
    inputs: ctx.inputs,
  }).catch((err: unknown) => {
    throw err instanceof InputError ? new OperationError("plan_invalid", err.message) : err;
  });
  if (plan.blocked)
    throw new OperationError(
      "unmapped_groups",
      "Some source groups have no target, and this restore was set to block on them.",
    );

  const previous = await restoreItemsOf(ctx.db, ctx.run.id);
  const counts = {
    total: plan.items.length,
    processed: 0,
    restored: 0,
    failed: 0,
    assignments: 0,
    skipped_assignments: 0,
  };
  const graph = await ctx.graph();
  for (const item of plan.items) {
    ctx.signal.throwIfAborted();
    const before = previous.get(item.backupItemId);
    const assignments = plannedAssignments(item);
    const assigned = assignments.length;
    const skipped = item.assignments.length - assigned;
    const base = {
      runId: ctx.run.id,
      tenantId: ctx.run.tenantId,
      backupItemId: item.backupItemId,
      family: item.family,
      name: item.name,
    };
    if (before?.status === "restored" || before?.status === "failed") {
      counts[before.status] += 1;
    } else {
      let policyId = before?.createdPolicyId ?? undefined;
      let createdAt: number | undefined; // set when this attempt created it: a 404 soon after is replication
      let adopted = false; // created by an earlier send whose answer was lost, found by its marker
      // A tenant default (an enrollment configuration of priority 0) is updated in place, never created.
      const builtIn = isBuiltInDefault(item.family, item.content);
      try {
        if (item.refusal) throw new ItemRefusal("not_restorable", item.refusal);
        if (!policyId) {
          const forTarget = bodyForTarget(creationBody(item.family, item.content), {
            content: item.content,
            mapping: ctx.inputs.mapping,
            templates: item.templates,
            openSealed: (reference, sealed) =>
              openOmaPlaintext(ctx.secretBox, {
                tenantId: set.tenantId,
                policyId: String(item.content.id),
                reference,
                sealed,
              }),
          });
          // Into another tenant, scope tags by name (lib/restores/reference-mapping.ts), and no app ids of
          // the source's app catalogue (they name nothing there): those apps are named in the result.
          const mapped = plan.crossTenant ? withoutTenantApps(item.family, forTarget) : forTarget;
          const body = item.scopeTagIds ? { ...mapped, [scopeTagPropertyOf(item.family)]: item.scopeTagIds } : mapped;
          if (builtIn) {
            policyId = await updateTenantDefault(graph, {
              family: item.family,
              content: item.content,
              body,
              signal: ctx.signal,
            });
          } else {
            // An intent is made from its template, which must be in this tenant.
            await requireCreatedFrom(graph, { family: item.family, content: item.content, signal: ctx.signal });
            // Created once even when the answer is lost: found again by the marker in its description.
            const created = await createOnce(graph, ctx.db, {
              runId: ctx.run.id,
              tenantId: ctx.run.tenantId,
              collection: FAMILY_PATHS[item.family],
              postTo: createPath(item.family, item.content),
              itemKey: createKey({ backupItemId: item.backupItemId, mapping: ctx.inputs.mapping }),
              body: (marker) => ({ ...body, description: withMarker(body.description, marker) }),
              signal: ctx.signal,
            });
            policyId = created.id;
            adopted ||= created.adopted;
            createdAt = Date.now();
          }
          await recordRestoreItem(ctx.db, { ...base, status: "created", createdPolicyId: policyId });
          // A filter or tag made here is named in this tenant's cache at once, for the next restore's mapping.
          await cacheCreatedReference(ctx.db, { tenantId: ctx.run.tenantId, family: item.family, id: policyId, body });
        }
        // Its rank among its kind, which a create does not set (on a retry too: it is the same request).
        const rank = priorityBody(item.family, item.content);
        if (rank)
          await actionWhenSettled(graph, {
            policyPath: `${FAMILY_PATHS[item.family]}/${policyId}`,
            action: rank.action,
            body: rank.body,
            createdAt,
            signal: ctx.signal,
          });
        // Values set after the create (administrative templates): also on a retry, which adds only what is missing.
        const valuesLeftOut =
          intuneType(item.family).partSetBy === "updateDefinitionValues"
            ? await completeDefinitionValues(graph, {
                policyPath: `${FAMILY_PATHS[item.family]}/${policyId}`,
                values: partOf(item.family, item.content),
                crossTenant: plan.crossTenant,
                graphUrl: ctx.graphUrl,
                createdAt,
                signal: ctx.signal,
              })
            : [];
        // Items created through their own navigation (a template's localized messages): also on a retry,
        // which creates only what is missing.
        await setPartItems(graph, {
          family: item.family,
          policyPath: `${FAMILY_PATHS[item.family]}/${policyId}`,
          content: item.content,
          exact: false,
          createdAt,
          signal: ctx.signal,
        });
        // Apps are not part of a create: the type's own action sets them, on a retry too (it replaces the set).
        const apps = targetAppsBody(item.family, item.content);
        if (apps)
          await actionWhenSettled(graph, {
            policyPath: `${FAMILY_PATHS[item.family]}/${policyId}`,
            action: apps.action,
            body: apps.body,
            createdAt,
            signal: ctx.signal,
          });
        // A default applies to everyone and takes no assignments.
        if (assigned && !builtIn)
          await setAssignments(graph, {
            family: item.family,
            policyPath: `${FAMILY_PATHS[item.family]}/${policyId}`,
            assignments,
            createdAt,
            signal: ctx.signal,
          });
        const note =
          [
            adopted ? "Created by an earlier request whose answer was lost; found again by its marker." : null,
            builtIn ? "This tenant's default of its kind updated in place (a default cannot be created)." : null,
            groupSkipped(item)
              ? `${groupSkipped(item)} assignment(s) left out: their groups have no target in this tenant.`
              : null,
            leftOutReferencesNote(item),
            plan.crossTenant ? leftOutAppsNote(item.family, item.content) : null,
            valuesLeftOut.length ? `Values left out: ${valuesLeftOut.join("; ")}.` : null,
            leftOutNote(item.family, item.content),
          ]
            .filter(Boolean)
            .join(" ") || null;
        await recordRestoreItem(ctx.db, {
          ...base,
          status: "restored",
          createdPolicyId: policyId,
          assignedCount: assigned,
          skippedCount: skipped,
          message: note,
        });
        counts.restored += 1;
        counts.assignments += assigned;
        counts.skipped_assignments += skipped;
      } catch (err) {
        const failure =
          err instanceof ItemRefusal
            ? { code: err.code, message: err.message, item: item.name }
            : isPermanent(err)
              ? itemFailure(err, item.name)
              : undefined;
        if (!failure) throw err;
        await recordRestoreItem(ctx.db, {
          ...base,
          status: "failed",
          createdPolicyId: policyId ?? null,
          message: failure.message,
        });
        await ctx.addFailure(failure);
        counts.failed += 1;
      }
    }
    counts.processed += 1;
    await ctx.progress(counts);
  }
};
