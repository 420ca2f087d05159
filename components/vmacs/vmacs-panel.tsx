"use client";
import { Time } from "@/components/ui/time";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { VmacEventRow, VmacRow } from "@/drizzle/schema";
import { ErrorText } from "@/components/ui/error-text";

export function VmacsPanel({ vmacs, events, search, canEdit }: { vmacs: VmacRow[]; events: VmacEventRow[]; search: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.vmacs.create.mutationOptions({ onSuccess: () => router.refresh() }));
  const release = useMutation(trpc.vmacs.release.mutationOptions({ onSuccess: () => router.refresh() }));

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    create.mutate({ ip: String(d.get("ip") ?? "").trim(), serverId: Number(d.get("serverId")) });
  }

  return (
    <div className="grid gap-6">
      <form method="get" className="flex items-end gap-3">
        <FormField name="q" label="Search IP, MAC or server id" defaultValue={search} />
        <Button type="submit" variant="outline">
          Search
        </Button>
      </form>
      {canEdit && (
        <form onSubmit={onCreate} className="flex items-end gap-3">
          <FormField name="ip" label="IP" placeholder="10.0.48.6" required />
          <FormField name="serverId" label="Tenantos server id" type="number" required />
          <Button type="submit" disabled={create.isPending}>
            Create VMAC
          </Button>
          <ErrorText error={create.error} className="text-sm" />
          {release.data?.status === "pending" && (
            <span className="text-sm" role="status">
              Release waits for a second admin&apos;s approval (request #{release.data.approvalId},{" "}
              <a className="underline" href="/it/approvals">
                Approvals
              </a>
              ).
            </span>
          )}
          {create.data && (
            <span className="text-sm" role="status">
              {create.data.vmac.ip} → {create.data.vmac.mac}
              {create.data.isNew ? "" : " (already active)"}
            </span>
          )}
        </form>
      )}
      <Table data-testid="vmacs-table">
        <TableHeader>
          <TableRow>
            <TableHead>IP</TableHead>
            <TableHead>VMAC</TableHead>
            <TableHead>Server</TableHead>
            <TableHead>Created (UTC)</TableHead>
            {canEdit && <TableHead />}
          </TableRow>
        </TableHeader>
        <TableBody>
          {vmacs.length === 0 && <TableEmpty colSpan={5}>No active VMACs{search ? " match" : ""}.</TableEmpty>}
          {vmacs.map((v) => (
            <TableRow key={v.ip}>
              <TableCell className="font-mono text-xs">{v.ip}</TableCell>
              <TableCell className="font-mono text-xs">{v.mac}</TableCell>
              <TableCell>{v.serverId}</TableCell>
              <TableCell className="font-mono text-xs">
                <Time value={v.createdAt} />
              </TableCell>
              {canEdit && (
                <TableCell>
                  <Button size="sm" variant="outline" disabled={release.isPending} onClick={() => release.mutate({ ip: v.ip })}>
                    Release
                  </Button>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <div>
        <h2 className="mb-2 text-lg font-semibold">Events</h2>
        <ul className="font-mono text-xs" data-testid="vmac-events">
          {events.length === 0 && <li className="text-muted-foreground">None yet.</li>}
          {events.map((e) => (
            <li key={e.id}>
              <Time value={e.at} /> · {e.kind} · {e.ip} · {e.mac} · server {e.serverId} · {e.actor}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
