import type { OperationType } from "@/lib/operations/registry";
import type { OperationHandler } from "../types";
import { syncDirectoryGroups } from "./directory-groups-sync";
import { syncInventory } from "./inventory-sync";
import { verifyTenant } from "./tenant-verify";

/** One handler per operation type; the compiler refuses a registry entry without one. */
export const handlers: Record<OperationType, OperationHandler> = {
  "tenant.verify": verifyTenant,
  "directory_groups.sync": syncDirectoryGroups,
  "inventory.sync": syncInventory,
};
