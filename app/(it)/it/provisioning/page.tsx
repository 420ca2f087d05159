import { Time } from "@/components/ui/time";
import Link from "next/link";
import { EventsTable } from "@/components/port-security/events-table";
import { JOB_STATUS_VARIANT } from "@/components/provisioning/job-view";
import { NewJobForm } from "@/components/provisioning/new-job-form";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Provisioning" };

/**
 * Controlled writes to Proxmox (a dry run first, a ticket, a second admin where the plan says so) and
 * the servers Tenantos reported as provisioned. `?node=&guestType=&vmid=` opens the form on a guest.
 */
export default async function ProvisioningPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageAccess("viewer");
  const caller = await getServerCaller();
  const [jobs, prefixes, events, params] = await Promise.all([
    caller.provisioning.list(),
    caller.ipam.prefixes(),
    caller.portSecurity.events({ action: "server_provisioned", limit: 200 }),
    searchParams,
  ]);
  const canRequest = hasAccess(user.roles, "admin");
  const vmid = Number(params.vmid);
  return (
    <>
      <PageHeader
        title="Provisioning"
        description="Jobs on Proxmox: planned as a dry run (the exact API calls and guard checks, nothing sent), requested with a ticket, approved by a second admin when destructive or on production, and followed to the end of their Proxmox tasks."
      />
      {canRequest && (
        <NewJobForm
          prefixes={prefixes.map((p) => ({ id: p.id, prefix: p.prefix, vid: p.vid }))}
          initial={{ node: params.node, guestType: params.guestType, vmid: Number.isInteger(vmid) && vmid > 0 ? vmid : undefined }}
        />
      )}
      <section className="mt-6 grid gap-2" aria-label="Provisioning jobs">
        <h2 className="text-lg font-semibold">Queue</h2>
        <Table data-testid="provisioning-jobs">
          <TableHeader>
            <TableRow>
              <TableHead>#</TableHead>
              <TableHead>Asked (UTC)</TableHead>
              <TableHead>Job</TableHead>
              <TableHead>Ticket</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Progress</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {jobs.map((j) => (
              <TableRow key={j.id}>
                <TableCell>
                  <Link href={`/it/provisioning/${j.id}`} className="underline">
                    {j.id}
                  </Link>
                </TableCell>
                <TableCell className="font-mono text-xs">
                  <Time value={j.requestedAt} precision="minute" />
                </TableCell>
                <TableCell className="text-sm">{j.summary}</TableCell>
                <TableCell className="font-mono text-xs">{j.ticketId}</TableCell>
                <TableCell>
                  <Badge variant={JOB_STATUS_VARIANT[j.status]}>{j.status}</Badge>
                  {j.error && <span className="text-destructive ml-2 text-xs">{j.error}</span>}
                </TableCell>
                <TableCell className="text-xs">
                  {j.callsSent}/{j.callCount} calls
                </TableCell>
              </TableRow>
            ))}
            {jobs.length === 0 && <TableEmpty colSpan={6}>No provisioning job yet.</TableEmpty>}
          </TableBody>
        </Table>
      </section>
      <section className="mt-8 grid gap-2" aria-label="Servers provisioned in Tenantos">
        <h2 className="text-lg font-semibold">Servers provisioned in Tenantos</h2>
        <p className="text-muted-foreground text-sm">
          Reported by POST /api/provisioning/event: each gets its switch port&apos;s description and first bindings through the same engine, or the reason it
          could not.
        </p>
        <EventsTable events={events} />
      </section>
    </>
  );
}
