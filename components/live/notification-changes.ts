/**
 * Changes to the signed-in user's notifications, as the live stream reports them (a new one, a read
 * mark in any tab): the bell's open panel re-reads its entries on each. Fed by LiveUpdates.
 */
const listeners = new Set<() => void>();

export function onNotificationChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceNotificationChange() {
  for (const listener of listeners) listener();
}
