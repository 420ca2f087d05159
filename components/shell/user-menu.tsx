"use client";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export function UserMenu({ name, roles }: { name: string; roles: string[] }) {
  return (
    <div className="flex items-center gap-3 text-sm">
      <span className="text-right leading-tight">
        <span className="block font-medium" data-testid="user-name">
          {name}
        </span>
        <span className="text-muted-foreground block text-xs">{roles.join(", ")}</span>
      </span>
      <Button variant="outline" size="sm" onClick={() => signOut({ callbackUrl: "/signin" })}>
        Sign out
      </Button>
    </div>
  );
}
