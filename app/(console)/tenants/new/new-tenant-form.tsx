"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { createTenantAction, type NewTenantState } from "@/lib/tenants/actions";

export function NewTenantForm() {
  const [state, action, pending] = useActionState<NewTenantState, FormData>(createTenantAction, undefined);
  const errors = state?.fieldErrors ?? {};
  return (
    <Card className="max-w-xl">
      <form action={action} className="space-y-4" noValidate>
        <Field
          label="Display name"
          name="displayName"
          defaultValue={state?.values?.displayName}
          errors={errors.displayName}
          required
        />
        <Field
          label="Tenant ID"
          name="tenantGuid"
          defaultValue={state?.values?.tenantGuid}
          errors={errors.tenantGuid}
          hint="The directory (tenant) ID from Microsoft Entra ID, a GUID."
          required
        />
        <Field
          label="Application (client) ID"
          name="clientId"
          defaultValue={state?.values?.clientId}
          errors={errors.clientId}
          hint="The app registration the console uses for app-only Graph calls."
          required
        />
        <Field
          label="Client secret"
          name="clientSecret"
          type="password"
          autoComplete="off"
          errors={errors.clientSecret}
          required
        />
        <FormMessage error={state?.error} />
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add tenant"}
        </Button>
      </form>
    </Card>
  );
}
