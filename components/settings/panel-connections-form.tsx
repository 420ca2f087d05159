"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { fieldError } from "@/components/switches/error-text";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import type { PanelConnectionView } from "@/server/services/port-security/connections";

const TITLES = { tenantos: "Tenantos (billing panel)", proxmox: "Proxmox VE", unifi: "UniFi Network (UDM)", npm: "Nginx Proxy Manager or NPMplus" } as const;
const DESCRIPTIONS = {
  tenantos: "Servers, IP assignments and switch connections.",
  proxmox: "Nodes and guests: MACs, IPs and VLANs of every VM.",
  unifi: "Switch ports, LLDP neighbours, clients, networks and port forwards for the port map.",
  npm: "Proxy hosts, their certificates and streams for the edge path.",
} as const;
const PLACEHOLDERS = {
  tenantos: "https://panel.example",
  proxmox: "https://pve.example:8006",
  unifi: "https://udm.example",
  npm: "http://npm.example:81",
} as const;
const TOKEN_ID = {
  proxmox: { label: "API token ID", placeholder: "sankofa@pve!inventory" },
  unifi: { label: "Local account (blank: the secret is an API key)", placeholder: "sankofa-ro" },
  npm: { label: "Account email", placeholder: "sankofa@example.org" },
} as const;
const SECRET_LABELS = { tenantos: "API key", proxmox: "API token secret", unifi: "API key or password", npm: "Password" } as const;
const SOURCES = { console: "saved here", environment: "from the environment", none: "not configured" } as const;

/** One card per connection. Secrets are write-only: the field is always empty, blank keeps the stored one. */
export function PanelConnectionCard({ connection, canEdit }: { connection: PanelConnectionView; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [status, setStatus] = useState<string | null>(null);
  const save = useMutation(trpc.panel.saveConnection.mutationOptions({ onSuccess: () => (setStatus("Saved."), router.refresh()) }));
  const test = useMutation(trpc.panel.testConnection.mutationOptions());
  const forget = useMutation(
    trpc.panel.deleteConnection.mutationOptions({ onSuccess: () => (setStatus("Removed: the environment applies."), router.refresh()) }),
  );
  const { kind } = connection;
  const error = save.error ?? test.error;
  const id = (name: string) => `${kind}-${name}`;

  const draftOf = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(id(name)) ?? "");
    return kind === "tenantos"
      ? { kind, baseUrl: text("baseUrl"), secret: text("secret") || undefined }
      : { kind, baseUrl: text("baseUrl"), tokenId: text("tokenId"), secret: text("secret") || undefined, tlsFingerprint: text("tlsFingerprint") };
  };
  const hasTokenId = kind !== "tenantos";
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setStatus(null);
    test.reset();
    save.mutate(draftOf(e.currentTarget));
  };

  return (
    <form onSubmit={onSubmit} aria-label={TITLES[kind]}>
      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            {TITLES[kind]}{" "}
            <Badge variant={connection.source === "none" ? "outline" : "secondary"}>
              {connection.updatedBy === "system:demo" ? "demo lab" : SOURCES[connection.source]}
            </Badge>
          </CardTitle>
          <CardDescription>{DESCRIPTIONS[kind]} Secrets are encrypted at rest and never shown again.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <FormField
            name={id("baseUrl")}
            label="Base URL"
            defaultValue={connection.baseUrl ?? ""}
            disabled={!canEdit}
            placeholder={PLACEHOLDERS[kind]}
            error={fieldError(error, "baseUrl")}
          />
          {hasTokenId && (
            <FormField
              name={id("tokenId")}
              label={TOKEN_ID[kind].label}
              defaultValue={connection.tokenId ?? ""}
              disabled={!canEdit}
              placeholder={TOKEN_ID[kind].placeholder}
              className="font-mono"
              error={fieldError(error, "tokenId")}
            />
          )}
          <FormField
            name={id("secret")}
            label={SECRET_LABELS[kind]}
            type="password"
            autoComplete="off"
            disabled={!canEdit}
            placeholder={connection.hasSecret ? "stored — leave blank to keep" : "required"}
            error={fieldError(error, "secret")}
          />
          {hasTokenId && (
            <FormField
              name={id("tlsFingerprint")}
              label="Pinned TLS fingerprint (SHA-256, optional)"
              defaultValue={connection.tlsFingerprint ?? ""}
              disabled={!canEdit}
              className="font-mono text-xs"
              error={fieldError(error, "tlsFingerprint")}
            />
          )}
          {error && !fieldError(error, "baseUrl") && !fieldError(error, "secret") && !fieldError(error, "tokenId") && !fieldError(error, "tlsFingerprint") && (
            <Alert variant="destructive">
              <AlertDescription role="alert">{error.message}</AlertDescription>
            </Alert>
          )}
          {test.data && (
            <Alert variant={test.data.isOk ? "default" : "destructive"}>
              <AlertDescription role="status">
                {test.data.isOk ? "Connected: " : "Failed: "}
                {test.data.message}
              </AlertDescription>
            </Alert>
          )}
          {status && (
            <p className="text-sm" role="status">
              {status}
            </p>
          )}
          {connection.updatedBy && <p className="text-muted-foreground text-xs">Last saved by {connection.updatedBy}.</p>}
        </CardContent>
        {canEdit && (
          <CardFooter className="gap-2">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save"}
            </Button>
            <Button
              type="button"
              variant="outline"
              disabled={test.isPending}
              onClick={(e) => {
                setStatus(null);
                test.mutate({ kind, draft: draftOf(e.currentTarget.form!) });
              }}
            >
              {test.isPending ? "Testing…" : "Test connection"}
            </Button>
            {connection.source === "console" && (
              <ConfirmDialog
                trigger={
                  <Button type="button" variant="ghost">
                    Forget
                  </Button>
                }
                title={`Forget the ${kind} connection saved in the console?`}
                description="The stored address and secret are deleted; the environment's settings (if any) apply again."
                confirmLabel={`Forget ${kind}`}
                isDestructive
                onConfirm={() => forget.mutateAsync({ kind })}
              >
                <ChangeLine label="base URL" before={connection.baseUrl ?? "—"} after="from the environment" />
                <ChangeLine label="secret" before={connection.hasSecret ? "stored" : "none"} after="deleted" />
              </ConfirmDialog>
            )}
          </CardFooter>
        )}
      </Card>
    </form>
  );
}
