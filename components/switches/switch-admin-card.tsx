"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { PublicSwitch } from "@/server/services/switches/switches";
import { fieldError } from "./error-text";
import { FormField } from "./form-field";
import { ErrorText } from "@/components/ui/error-text";

/** A message not already shown beside a field. */
function FormError({ error }: { error: { message: string; data?: { zodError?: unknown; field?: string | null } | null } | null }) {
  if (!error || error.data?.zodError || error.data?.field) return null;
  return (
    <span className="text-destructive text-sm" role="alert">
      {error.message}
    </span>
  );
}

export function SwitchAdminCard({ sw }: { sw: PublicSwitch }) {
  return (
    <Card className="mt-8 max-w-3xl" data-testid="switch-admin-card">
      <CardHeader>
        <CardTitle>Edit / credentials / automation / delete</CardTitle>
        <CardDescription>Every change here is audited. Credentials are write-only: they are never shown again.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-8">
        <EditSection sw={sw} />
        <CredentialsSection sw={sw} />
        <AutomationSection sw={sw} />
        <DeleteSection sw={sw} />
      </CardContent>
    </Card>
  );
}

function EditSection({ sw }: { sw: PublicSwitch }) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.switches.update.mutationOptions({ onSuccess: () => router.refresh() }));
  const err = (f: string) => fieldError(update.error, f);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const text = (k: string) => String(d.get(k) ?? "").trim();
    update.mutate({
      id: sw.id,
      host: text("host"),
      port: Number(text("port") || 22),
      username: text("username"),
      dhcpSecurityGroup: text("group") || undefined,
      // An emptied field unlinks the switch from Tenantos.
      tenantosDeviceId: text("tenantos") ? Number(text("tenantos")) : null,
    });
  }

  return (
    <form onSubmit={onSubmit} aria-label="Edit switch">
      <h3 className="mb-2 font-semibold">Connection</h3>
      <div className="grid gap-4 sm:grid-cols-3">
        <FormField name="host" label="Management address" required defaultValue={sw.host} error={err("host")} />
        <FormField name="port" label="SSH port" type="number" defaultValue={sw.port} error={err("port")} />
        <FormField name="username" label="Username (not root)" required defaultValue={sw.username} error={err("username")} />
        <FormField name="group" label="ELS dhcp-security group" defaultValue={sw.dhcpSecurityGroup} error={err("dhcpSecurityGroup") ?? err("group")} />
        <FormField
          name="tenantos"
          label="Tenantos device id (empty: none)"
          type="number"
          defaultValue={sw.tenantosDeviceId ?? ""}
          error={err("tenantosDeviceId")}
        />
      </div>
      <div className="mt-3 flex items-center gap-3">
        <Button type="submit" size="sm" disabled={update.isPending}>
          Save
        </Button>
        <FormError error={update.error} />
        {update.isSuccess && (
          <span className="text-sm" role="status">
            Saved.
          </span>
        )}
      </div>
      <p className="text-muted-foreground mt-1 text-xs">
        Changing the address or port forgets the approved host key: the new address is contacted, and its key must be approved again before anything is pushed.
      </p>
    </form>
  );
}

function CredentialsSection({ sw }: { sw: PublicSwitch }) {
  const trpc = useTRPC();
  const router = useRouter();
  const rotate = useMutation(trpc.switches.rotateCredentials.mutationOptions({ onSuccess: () => router.refresh() }));

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const d = new FormData(form);
    rotate.mutate(
      { id: sw.id, password: String(d.get("newPassword") ?? "") || undefined, privateKey: String(d.get("newPrivateKey") ?? "") || undefined },
      // A secret should not linger in the page once it is stored.
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <form onSubmit={onSubmit} aria-label="Rotate credentials">
      <h3 className="mb-2 font-semibold">Credentials</h3>
      <p className="text-muted-foreground mb-2 text-xs">
        Stored: {sw.hasPassword ? "a password" : "no password"}, {sw.hasPrivateKey ? "a private key" : "no private key"}. A blank field keeps the stored one.
      </p>
      <div className="grid gap-4 sm:grid-cols-[1fr_2fr]">
        <FormField name="newPassword" label="New password" type="password" autoComplete="new-password" error={fieldError(rotate.error, "password")} />
        <div className="grid gap-1.5">
          <Label htmlFor="newPrivateKey">New private key (OpenSSH)</Label>
          <Textarea id="newPrivateKey" name="newPrivateKey" rows={3} className="font-mono text-xs" autoComplete="off" spellCheck={false} />
          {fieldError(rotate.error, "privateKey") && (
            <p className="text-destructive text-xs" role="alert">
              {fieldError(rotate.error, "privateKey")}
            </p>
          )}
        </div>
      </div>
      <div className="mt-3 flex items-center gap-3">
        <Button type="submit" size="sm" disabled={rotate.isPending}>
          Replace credentials
        </Button>
        <FormError error={rotate.error} />
        {rotate.isSuccess && (
          <span className="text-sm" role="status">
            Stored; the next session uses them.
          </span>
        )}
      </div>
    </form>
  );
}

function AutomationSection({ sw }: { sw: PublicSwitch }) {
  const trpc = useTRPC();
  const router = useRouter();
  const set = useMutation(trpc.switches.setAutomation.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <section aria-label="Automation">
      <h3 className="mb-2 font-semibold">Automation</h3>
      <div className="flex items-center gap-3">
        {sw.isAutomationEnabled ? <Badge variant="success">on</Badge> : <Badge variant="warning">off</Badge>}
        <Button size="sm" variant="outline" disabled={set.isPending} onClick={() => set.mutate({ id: sw.id, isEnabled: !sw.isAutomationEnabled })}>
          {sw.isAutomationEnabled ? "Disable automation" : "Enable automation"}
        </Button>
        <ErrorText error={set.error} className="text-sm" />
      </div>
      <p className="text-muted-foreground mt-1 text-xs">
        Off: nothing is pushed to this switch (events and Apply All record a skip); backups and drift checks still run. Turning it back on pushes the ports that
        waited.
      </p>
    </section>
  );
}

function DeleteSection({ sw }: { sw: PublicSwitch }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [mode, setMode] = useState<"leave-switch" | "remove-bindings">("leave-switch");
  const [typed, setTyped] = useState("");
  const remove = useMutation(
    trpc.switches.delete.mutationOptions({
      onSuccess: (r) => (r.status === "deleted" ? router.push("/it/switches") : router.refresh()),
    }),
  );

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    remove.mutate({ id: sw.id, mode, confirmName: typed });
  }

  return (
    <form onSubmit={onSubmit} aria-label="Delete switch">
      <h3 className="text-destructive mb-2 font-semibold">Delete</h3>
      <fieldset className="grid gap-2 text-sm">
        <legend className="sr-only">What happens to the switch</legend>
        <label className="flex items-start gap-2">
          <input type="radio" name="mode" value="leave-switch" checked={mode === "leave-switch"} onChange={() => setMode("leave-switch")} className="mt-1" />
          <span>
            <strong>Leave the switch as it is.</strong> The switch is forgotten here at once (its bindings, pushes and backups with it); its configuration keeps
            every binding we pushed.
          </span>
        </label>
        <label className="flex items-start gap-2">
          <input
            type="radio"
            name="mode"
            value="remove-bindings"
            checked={mode === "remove-bindings"}
            onChange={() => setMode("remove-bindings")}
            className="mt-1"
          />
          <span>
            <strong>Remove our bindings first.</strong> A second admin approves it on the approvals page, shown every binding it removes. Then one push wipes
            the static-ip bindings of the ports we manage (other port settings stay); the switch is deleted here only once that push has committed.
          </span>
        </label>
      </fieldset>
      <div className="mt-3 grid max-w-sm gap-1.5">
        <Label htmlFor="confirmName">
          Type <code className="text-xs">{sw.name}</code> to confirm
        </Label>
        <Input
          id="confirmName"
          name="confirmName"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          aria-invalid={Boolean(fieldError(remove.error, "confirmName"))}
        />
        {fieldError(remove.error, "confirmName") && (
          <p className="text-destructive text-xs" role="alert">
            {fieldError(remove.error, "confirmName")}
          </p>
        )}
      </div>
      <div className="mt-3 flex items-center gap-3">
        <Button
          type="submit"
          size="sm"
          variant="destructive"
          disabled={remove.isPending || typed !== sw.name || remove.data?.status === "removal-queued" || remove.data?.status === "pending"}
        >
          Delete {sw.name}
        </Button>
        <ErrorText error={!fieldError(remove.error, "confirmName") ? remove.error : null} className="text-sm" />
        {remove.data?.status === "pending" && (
          <span className="text-sm whitespace-pre-line" role="status">
            Waiting for a second admin on{" "}
            <a className="underline" href="/it/approvals">
              /it/approvals
            </a>
            . It would: {remove.data.summary}
          </span>
        )}
        {remove.data?.status === "removal-queued" && (
          <span className="text-sm" role="status">
            Wiping {remove.data.ports.length} port(s); the switch is deleted once the push commits. Its pushes below show the progress.
          </span>
        )}
      </div>
    </form>
  );
}
