import { paths } from "@/lib/paths";

/** A notification as the bell and the notifications page render it (serialisable for the client). */
export type NotificationItem = {
  id: string;
  title: string;
  body: string;
  outcome: string;
  read: boolean;
  createdAt: string;
  href: string;
  linkLabel: string;
};

/** A run's notification opens the run; one about the account itself (a linked identity) opens the Account page. */
export function toNotificationItem(n: {
  id: string;
  title: string;
  body: string;
  outcome: string;
  readAt: Date | null;
  createdAt: Date;
  tenantId: string | null;
  runId: string | null;
}): NotificationItem {
  const run = n.tenantId && n.runId ? paths.run(n.tenantId, n.runId) : null;
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    outcome: n.outcome,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
    href: run ?? paths.account(),
    linkLabel: run ? "View run" : "Open your account",
  };
}
