"use client";
import { Time } from "@/components/ui/time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldError } from "@/components/switches/error-text";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ReceiverKind } from "@/lib/observability/receivers";

const KINDS = ["webhook", "slack", "email"] as const;
const KIND_LABELS: Record<ReceiverKind, string> = { webhook: "JSON webhook", slack: "Slack / Teams incoming webhook", email: "Email (SMTP)" };

/**
 * Settings › Notifications: where the same conditions as the Prometheus alerts go when there is no
 * Prometheus. One message when a condition starts, one when it clears; secrets are write-only.
 */
export function NotificationsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const receivers = useQuery(trpc.notifications.receivers.queryOptions());
  const deliveries = useQuery(trpc.notifications.deliveries.queryOptions(undefined, { refetchInterval: 5_000 }));
  const reload = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.notifications.receivers.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.notifications.deliveries.queryKey() }),
    ]);
  const [kind, setKind] = useState<ReceiverKind>("webhook");
  const [status, setStatus] = useState<string | null>(null);
  const save = useMutation(trpc.notifications.saveReceiver.mutationOptions({ onSuccess: () => (setStatus("Saved."), reload()) }));
  const remove = useMutation(trpc.notifications.deleteReceiver.mutationOptions({ onSuccess: reload }));
  const test = useMutation(trpc.notifications.sendTest.mutationOptions({ onSuccess: () => (setStatus("Test message queued: see below."), reload()) }));

  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setStatus(null);
    const d = new FormData(e.currentTarget);
    const text = (n: string) => String(d.get(n) ?? "").trim();
    const name = text("receiverName");
    const secret = text("receiverSecret") || undefined;
    if (kind === "webhook") save.mutate({ kind, name, url: text("receiverUrl"), secret });
    else if (kind === "slack") save.mutate({ kind, name, secret });
    else
      save.mutate({
        kind,
        name,
        host: text("smtpHost"),
        port: Number(text("smtpPort") || "587"),
        isTls: d.get("smtpTls") === "on",
        username: text("smtpUser") || undefined,
        from: text("smtpFrom"),
        to: text("smtpTo")
          .split(/[,\s]+/)
          .filter(Boolean),
        secret,
      });
  }
  const error = save.error ?? remove.error ?? test.error;

  return (
    <Card className="mt-6 max-w-4xl" data-testid="notifications">
      <CardHeader>
        <CardTitle>Notifications</CardTitle>
        <CardDescription>
          The alert rules&apos; conditions (push failing, switch unreachable, host key changed, backup overdue, drift, stale collector, duplicate address,
          approval waiting), checked each minute: one message when one starts, one when it clears, at most 30 an hour per receiver. Secrets are encrypted at
          rest and never shown again. Runbook: docs/runbook.md.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Kind</TableHead>
              <TableHead>Destination</TableHead>
              <TableHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {(receivers.data ?? []).map((r) => (
              <TableRow key={r.id}>
                <TableCell>
                  {r.name} {!r.isEnabled && <Badge variant="outline">off</Badge>}
                </TableCell>
                <TableCell>{KIND_LABELS[r.kind]}</TableCell>
                <TableCell className="font-mono text-xs">
                  {r.settings.kind === "webhook"
                    ? r.settings.url
                    : r.settings.kind === "slack"
                      ? (r.settings.host ?? "—")
                      : `${r.settings.to.join(", ")} via ${r.settings.host}:${r.settings.port}`}
                </TableCell>
                <TableCell className="flex gap-2">
                  <Button type="button" size="sm" variant="outline" disabled={test.isPending} onClick={() => test.mutate({ id: r.id })}>
                    Send a test
                  </Button>
                  <Button type="button" size="sm" variant="ghost" disabled={remove.isPending} onClick={() => remove.mutate({ id: r.id })}>
                    Remove
                  </Button>
                </TableCell>
              </TableRow>
            ))}
            {receivers.data?.length === 0 && <TableEmpty colSpan={4}>No receivers yet: nothing is sent.</TableEmpty>}
          </TableBody>
        </Table>

        <form onSubmit={onAdd} className="grid gap-3" aria-label="Add a receiver">
          <div className="flex flex-wrap items-end gap-4">
            <label className="grid gap-1.5 text-sm">
              Kind
              <NativeSelect name="receiverKind" value={kind} options={KINDS} onChange={(e) => setKind(e.target.value as ReceiverKind)} />
            </label>
            <FormField name="receiverName" label="Name" placeholder="e.g. on-call" required error={fieldError(error, "name")} />
          </div>
          {kind === "webhook" && (
            <>
              <FormField name="receiverUrl" label="URL" placeholder="https://hooks.example/sankofa" error={fieldError(error, "url")} />
              <FormField name="receiverSecret" label="Signing secret (optional; Standard Webhooks HMAC)" type="password" autoComplete="off" />
            </>
          )}
          {kind === "slack" && (
            <FormField
              name="receiverSecret"
              label="Incoming webhook URL (Slack or Teams; kept secret)"
              type="password"
              autoComplete="off"
              error={fieldError(error, "secret")}
            />
          )}
          {kind === "email" && (
            <div className="grid gap-3 md:grid-cols-2">
              <FormField name="smtpHost" label="SMTP host" placeholder="smtp.example.org" error={fieldError(error, "host")} />
              <FormField name="smtpPort" label="Port" placeholder="587" inputMode="numeric" />
              <FormField name="smtpUser" label="Username (optional)" autoComplete="off" />
              <FormField name="receiverSecret" label="Password" type="password" autoComplete="off" />
              <FormField name="smtpFrom" label="From" placeholder="sankofa-it@example.org" error={fieldError(error, "from")} />
              <FormField name="smtpTo" label="To (comma-separated)" placeholder="oncall@example.org" error={fieldError(error, "to")} />
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="smtpTls" /> Implicit TLS (port 465)
              </label>
            </div>
          )}
          <div>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Add receiver"}
            </Button>
          </div>
        </form>
        {error && (
          <Alert variant="destructive">
            <AlertDescription role="alert">{error.message}</AlertDescription>
          </Alert>
        )}
        {status && (
          <p className="text-sm" role="status">
            {status}
          </p>
        )}

        <h3 className="font-medium">Latest messages</h3>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>When (UTC)</TableHead>
              <TableHead>Event</TableHead>
              <TableHead>Summary</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(deliveries.data ?? []).map((d) => (
              <TableRow key={d.id}>
                <TableCell>
                  <Time value={d.createdAt} precision="minute" />
                </TableCell>
                <TableCell>{d.event}</TableCell>
                <TableCell>{d.summary}</TableCell>
                <TableCell title={d.error ?? undefined}>
                  {d.status}
                  {d.error ? ` (attempt ${d.attempts}: ${d.error})` : ""}
                </TableCell>
              </TableRow>
            ))}
            {deliveries.data?.length === 0 && <TableEmpty colSpan={4}>Nothing sent yet.</TableEmpty>}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
