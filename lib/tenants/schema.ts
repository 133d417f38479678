import { z } from "zod";

const guid = (label: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.uuid({ error: `${label} must be a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47` }));

export const clientIdSchema = guid("Application (client) ID");
export const clientSecretSchema = z
  .string({ error: "Client secret is required" })
  .min(1, "Client secret is required")
  .max(1000, "Client secret is too long");

export const newTenantSchema = z.object({
  tenantGuid: guid("Tenant ID"),
  displayName: z.string().trim().min(1, "Display name is required").max(100, "Display name is at most 100 characters"),
  clientId: clientIdSchema,
  clientSecret: clientSecretSchema,
});

export type NewTenantInput = z.infer<typeof newTenantSchema>;
