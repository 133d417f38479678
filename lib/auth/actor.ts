/**
 * Who starts or controls a run: the user's id, the name the run records for them, and the address
 * the request came from (for the audit log; absent outside a request).
 */
export type Actor = { userId: string; name: string; clientAddress?: string | null };
