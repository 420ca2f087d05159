"use client";
import { Time } from "@/components/ui/time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { API_SCOPE_LABELS, API_SCOPES, type ApiScope } from "@/lib/auth/api-scopes";
import { ErrorText } from "@/components/ui/error-text";

/** Admins create keys for scripts (the secret is shown once) and revoke them. */
export function ApiKeysPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const reload = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ onSuccess: (r) => (setSecret(r.secret), reload()) }));
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: reload }));

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    setSecret(null);
    create.mutate({ name: String(d.get("apiKeyName") ?? ""), scopes: API_SCOPES.filter((s) => d.get(`scope:${s}`) === "on") as ApiScope[] });
  }

  return (
    <Card className="mt-6 max-w-4xl" data-testid="api-keys">
      <CardHeader>
        <CardTitle>API keys</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form onSubmit={onCreate} className="flex flex-wrap items-end gap-4">
          <FormField name="apiKeyName" label="Name" placeholder="e.g. ansible inventory" required />
          <fieldset className="flex gap-3 text-sm">
            <legend className="sr-only">Scopes</legend>
            {API_SCOPES.map((s) => (
              <label key={s} className="flex items-center gap-1" title={API_SCOPE_LABELS[s]}>
                <input type="checkbox" name={`scope:${s}`} defaultChecked={s === "inventory:read"} /> {s}
              </label>
            ))}
          </fieldset>
          <Button type="submit" disabled={create.isPending}>
            Create key
          </Button>
        </form>
        {create.error && (
          <Alert variant="destructive">
            <AlertDescription role="alert">{create.error.message}</AlertDescription>
          </Alert>
        )}
        {secret && (
          <Alert>
            <AlertDescription role="status">
              Copy this key now; it is not shown again:{" "}
              <code className="font-mono break-all select-all" data-testid="api-key-secret">
                {secret}
              </code>
            </AlertDescription>
          </Alert>
        )}
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Key</TableHead>
              <TableHead>Scopes</TableHead>
              <TableHead>Created (UTC)</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.data?.length === 0 && <TableEmpty colSpan={6}>No API keys.</TableEmpty>}
            {keys.data?.map((k) => (
              <TableRow key={k.id}>
                <TableCell>{k.name}</TableCell>
                <TableCell className="font-mono text-xs">{k.prefix}_…</TableCell>
                <TableCell className="text-xs">{k.scopes.join(", ")}</TableCell>
                <TableCell className="font-mono text-xs">
                  <Time value={k.createdAt} precision="minute" /> by {k.createdBy}
                </TableCell>
                <TableCell className="font-mono text-xs">
                  <Time value={k.lastUsedAt} precision="minute" />
                </TableCell>
                <TableCell>
                  {k.revokedAt ? (
                    <span className="text-muted-foreground text-xs">
                      revoked <Time value={k.revokedAt} precision="minute" />
                    </span>
                  ) : (
                    <Button size="sm" variant="outline" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: k.id })}>
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <ErrorText error={revoke.error} className="text-sm" as="p" />
      </CardContent>
    </Card>
  );
}
