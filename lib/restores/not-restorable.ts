/** An item the restore will not create, for a reason worked out before Graph is called (named per item). */
export class ItemNotRestorable extends Error {
  readonly code = "not_restorable";
}
