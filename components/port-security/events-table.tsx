import { Time } from "@/components/ui/time";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { PortSecurityEventRow } from "@/drizzle/schema";

const VARIANT = { received: "secondary", queued: "default", skipped: "warning", done: "success", failed: "destructive" } as const;

export function EventsTable({ events }: { events: PortSecurityEventRow[] }) {
  return (
    <Table data-testid="events-table">
      <TableHeader>
        <TableRow>
          <TableHead>Received (UTC)</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Server</TableHead>
          <TableHead>IP</TableHead>
          <TableHead>Outcome</TableHead>
          <TableHead>Switch port / reason</TableHead>
          <TableHead>Job</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.length === 0 && <TableEmpty colSpan={7}>No events.</TableEmpty>}
        {events.map((e) => (
          <TableRow key={e.id}>
            <TableCell className="font-mono text-xs">
              <Time value={e.receivedAt} />
            </TableCell>
            <TableCell className="font-mono text-xs">{e.action}</TableCell>
            <TableCell>
              <Link className="underline" href={`/it/port-security?server=${e.serverId}`}>
                {e.serverId}
              </Link>
            </TableCell>
            <TableCell className="font-mono text-xs">
              {e.ip ? (
                <Link href={`/it/why?ip=${encodeURIComponent(e.ip)}`} className="underline" title="Why is (or isn't) this IP bound?">
                  {e.ip}
                </Link>
              ) : (
                "—"
              )}
            </TableCell>
            <TableCell>
              <Badge variant={VARIANT[e.status]}>{e.status}</Badge>
            </TableCell>
            <TableCell className="text-xs">
              {e.switchId ? (
                <Link className="underline" href={`/it/switches/${e.switchId}`}>
                  switch {e.switchId} · {e.interface}
                </Link>
              ) : (
                (e.skipReason ?? "—")
              )}
            </TableCell>
            <TableCell className="font-mono text-xs">{e.jobId ?? "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
