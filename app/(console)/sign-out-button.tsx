"use client";

import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { paths } from "@/lib/paths";

export function SignOutButton() {
  return (
    <Button variant="ghost" onClick={() => signOut({ callbackUrl: paths.signIn() })}>
      Sign out
    </Button>
  );
}
