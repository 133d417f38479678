import type { OperationInputs, OperationType } from "@/lib/operations/registry";
import type { OperationHandler } from "../types";
import { createBackupSet } from "./backup-set-create";
import { deleteBackup } from "./backup-set-delete";
import { syncDirectoryGroups } from "./directory-groups-sync";
import { syncDirectoryReferences } from "./directory-references-sync";
import { acceptDrift } from "./drift-accept";
import { detectDrift } from "./drift-detect";
import { revertDrift } from "./drift-revert";
import { syncInventory } from "./inventory-sync";
import { pruneOldRecords } from "./maintenance-prune";
import { assignRbacRole } from "./rbac-assign";
import { syncRbacRoles } from "./rbac-roles-sync";
import { executeRestore } from "./restore-execute";
import { applyBackupRetention } from "./retention-apply";
import { verifyTenant } from "./tenant-verify";

/**
 * One handler per operation type, each typed with its own inputs; the compiler refuses a registry
 * entry without one. The lifecycle parses inputs with the type's schema before calling it, which is
 * what makes the widening below safe.
 */
const typedHandlers: { [T in OperationType]: OperationHandler<OperationInputs<T>> } = {
  "tenant.verify": verifyTenant,
  "directory_groups.sync": syncDirectoryGroups,
  "inventory.sync": syncInventory,
  "backup_set.create": createBackupSet,
  "restore.execute": executeRestore,
  "rbac_roles.sync": syncRbacRoles,
  "rbac.assign": assignRbacRole,
  "drift.detect": detectDrift,
  "drift.accept": acceptDrift,
  "drift.revert": revertDrift,
  "maintenance.prune": pruneOldRecords,
  "retention.apply": applyBackupRetention,
  "backup_set.delete": deleteBackup,
  "directory_references.sync": syncDirectoryReferences,
};

export const handlers = typedHandlers as unknown as Record<OperationType, OperationHandler>;
