import {
  addBackupItem,
  completeBackupSet,
  openBackupSet,
  policiesToBackUp,
  sealedBackupSetOfRun,
} from "@/lib/backups/backups";
import { sealOmaPlaintexts } from "@/lib/secrets/oma-settings";
import { getPolicyObject, isPermanent, itemFailure, readPolicy } from "../intune";
import { readOmaPlaintexts } from "../oma-plaintext";
import { readTenantAppNames } from "../tenant-app-names";
import { forbiddenFamilies, typeForbiddenFailure } from "../type-access";
import type { OperationHandler } from "../types";

/**
 * backup_set.create: reads each chosen policy from Intune now — object, settings, assignments — and
 * writes it into a new backup set, sealed when every item is in. A policy gone from Intune (or no
 * longer in the inventory) is a named failure, the rest is still backed up. Encrypted OMA-URI values
 * are read in plain text (a restore needs it) and stored only sealed. A type Graph refuses to list
 * (a permission the app lacks) is one named failure, its policies left out.
 */
export const createBackupSet: OperationHandler<{ policyIds?: string[] }> = async (ctx) => {
  const selection = ctx.inputs.policyIds ? [...ctx.inputs.policyIds].sort() : null;
  const sealed = await sealedBackupSetOfRun(ctx.db, ctx.run.id);
  if (sealed) {
    // The work is done and sealed; only the run's completion was lost. Never a second set.
    await ctx.progress({ total: sealed.itemCount, processed: sealed.itemCount, saved: sealed.itemCount, failed: 0 });
    return;
  }
  const { policies, missing } = await policiesToBackUp(ctx.db, ctx.run.tenantId, selection);
  const counts = { total: policies.length + missing.length, processed: 0, saved: 0, failed: 0 };
  for (const id of missing) {
    counts.processed += 1;
    counts.failed += 1;
    await ctx.addFailure({
      code: "not_in_inventory",
      message: "This policy is not in the inventory (sync the inventory first).",
      item: id,
    });
  }
  await ctx.progress(counts);

  const graph = await ctx.graph();
  const families = [...new Set(policies.map((p) => p.family))];
  const refused = await forbiddenFamilies(graph, { families, signal: ctx.signal });
  const [first] = refused.values();
  if (first && refused.size === families.length) throw first;
  for (const [family, err] of refused) await ctx.addFailure(typeForbiddenFailure(family, err));
  const appNames = new Map<string, string | null>(); // tenant apps read in this run, by id
  const backupSetId = await openBackupSet(ctx.db, { tenantId: ctx.run.tenantId, runId: ctx.run.id, selection });
  for (const policy of policies) {
    ctx.signal.throwIfAborted();
    if (refused.has(policy.family)) {
      counts.failed += 1;
      counts.processed += 1;
      continue;
    }
    try {
      const object = await getPolicyObject(graph, { family: policy.family, id: policy.id, signal: ctx.signal });
      const plaintexts = await readOmaPlaintexts(graph, { family: policy.family, policy: object, signal: ctx.signal });
      await addBackupItem(ctx.db, {
        tenantId: ctx.run.tenantId,
        backupSetId,
        name: policy.name,
        snapshot: await readPolicy(graph, { family: policy.family, policy: object, signal: ctx.signal }),
        sealedSecrets: sealOmaPlaintexts(ctx.secretBox, {
          tenantId: ctx.run.tenantId,
          policyId: object.id,
          plaintexts,
        }),
        // Apps of the tenant's own catalogue, by name: another tenant must choose them again.
        appNames: await readTenantAppNames(graph, {
          family: policy.family,
          policy: object,
          known: appNames,
          signal: ctx.signal,
        }),
      });
      counts.saved += 1;
    } catch (err) {
      if (!isPermanent(err)) throw err;
      counts.failed += 1;
      await ctx.addFailure(itemFailure(err, policy.name));
    }
    counts.processed += 1;
    if (counts.processed % 10 === 0) await ctx.progress(counts);
  }
  await completeBackupSet(ctx.db, backupSetId);
  await ctx.progress(counts);
};
