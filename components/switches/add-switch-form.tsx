"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { fieldError } from "./error-text";
import { FormField } from "./form-field";

export function AddSwitchForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.switches.create.mutationOptions({ onSuccess: () => router.refresh() }));
  const err = (f: string) => fieldError(create.error, f);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const text = (k: string) => String(d.get(k) ?? "").trim();
    create.mutate({
      name: text("name"),
      host: text("host"),
      port: Number(text("port") || 22),
      username: text("username"),
      password: text("password") || undefined,
      dhcpSecurityGroup: text("group") || undefined,
      tenantosDeviceId: text("tenantos") ? Number(text("tenantos")) : undefined,
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-6">
      <Card className="max-w-3xl">
        <CardHeader>
          <CardTitle>Add a switch</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-3">
          <FormField name="name" label="Name" required error={err("name")} />
          <FormField name="host" label="Management address" required error={err("host")} />
          <FormField name="port" label="SSH port" type="number" defaultValue={22} error={err("port")} />
          <FormField name="username" label="Username (not root)" required error={err("username")} />
          <FormField name="password" label="Password" type="password" autoComplete="new-password" error={err("password")} />
          <FormField name="group" label="ELS dhcp-security group" placeholder="sankofa" error={err("dhcpSecurityGroup")} />
          <FormField name="tenantos" label="Tenantos device id (optional)" type="number" error={err("tenantosDeviceId")} />
        </CardContent>
        <CardFooter className="gap-3">
          <Button type="submit" disabled={create.isPending}>
            Add switch
          </Button>
          <ErrorText error={!create.error?.data?.zodError && !create.error?.data?.field ? create.error : null} className="text-sm" />
          <span className="text-muted-foreground text-xs">The first contact records the host key; an admin approves it before any push.</span>
        </CardFooter>
      </Card>
    </form>
  );
}
