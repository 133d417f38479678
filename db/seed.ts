import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { tenantMemberships, tenants, userIdentities, users } from "@/db/schema";
import type { EmulatedTenant } from "@/emulator/directory";
import { hashPassword } from "@/lib/auth/password";
import { sealClientSecret } from "@/lib/tenants/secret";

export const DEMO_EMAIL = "demo@tenantatlas.local";

/**
 * The demo data `npm start` puts into an empty database: one operator account that owns the given
 * emulated tenants (two, so a restore can cross tenants). The first tenant's first demo person
 * signs in with Microsoft as its operator. Does nothing when any user exists.
 */
export async function seedDemo(
  db: Db,
  options: { password: string; encryptionKey: Buffer; tenants: EmulatedTenant[] },
) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table users in exclusive mode`);
    const [{ count }] = (await tx.select({ count: sql<number>`count(*)::int` }).from(users)) as [{ count: number }];
    if (count > 0) return { seeded: false as const };
    const [user] = await tx
      .insert(users)
      .values({ email: DEMO_EMAIL, name: "Demo Operator", passwordHash: await hashPassword(options.password) })
      .returning();
    for (const [index, tenant] of options.tenants.entries()) {
      const app = tenant.apps[0];
      if (!app) continue;
      const id = randomUUID();
      await tx.insert(tenants).values({
        id,
        tenantGuid: tenant.tenantId,
        displayName: `${tenant.displayName} (demo)`,
        clientId: app.clientId,
        clientSecretEnc: sealClientSecret(app.clientSecret, options.encryptionKey, id),
      });
      await tx.insert(tenantMemberships).values({ userId: user!.id, tenantId: id, role: "owner" });
      const person = tenant.users[0];
      if (index === 0 && person) {
        const [adele] = await tx
          .insert(users)
          .values({ email: person.userPrincipalName, name: person.displayName })
          .returning();
        await tx.insert(tenantMemberships).values({ userId: adele!.id, tenantId: id, role: "operator" });
        // Linked by her Entra tenant and object id: a Microsoft sign-in never finds an account by email.
        await tx
          .insert(userIdentities)
          .values({ provider: "azure-ad", tenantGuid: tenant.tenantId, subject: person.id, userId: adele!.id });
      }
    }
    return { seeded: true as const };
  });
}
