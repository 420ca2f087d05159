import { Time } from "@/components/ui/time";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableEmpty } from "@/components/ui/table";
import type { listSwitchOverview } from "@/server/services/switches/queries";

type Row = Awaited<ReturnType<typeof listSwitchOverview>>[number];

const KEY_VARIANT = { approved: "success", unverified: "warning", mismatch: "destructive", unknown: "secondary" } as const;

export function SwitchesTable({ switches }: { switches: Row[] }) {
  return (
    <Table data-testid="switches-table">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Address</TableHead>
          <TableHead>Dialect</TableHead>
          <TableHead>Host key</TableHead>
          <TableHead>Last backup</TableHead>
          <TableHead>Last push</TableHead>
          <TableHead>Drift</TableHead>
          <TableHead>Dirty ports</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {switches.length === 0 && <TableEmpty colSpan={8}>No switches yet.</TableEmpty>}
        {switches.map((s) => (
          <TableRow key={s.id}>
            <TableCell>
              <Link className="font-medium underline-offset-4 hover:underline" href={`/it/switches/${s.id}`}>
                {s.name}
              </Link>
              {!s.isAutomationEnabled && (
                <Badge variant="warning" className="ml-2" title="Nothing is pushed to this switch; backups and drift still run">
                  automation off
                </Badge>
              )}
            </TableCell>
            <TableCell className="font-mono text-xs">
              {s.host}:{s.port}
            </TableCell>
            <TableCell>{s.dialect ?? "not detected yet"}</TableCell>
            <TableCell>
              <Badge variant={KEY_VARIANT[s.hostKeyState]}>{s.hostKeyState}</Badge>
            </TableCell>
            <TableCell>
              <Time value={s.lastBackupAt} fallback="never" />
            </TableCell>
            <TableCell>
              {s.lastPush ? (
                <span title={s.lastPush.error_message ?? undefined}>
                  <Badge variant={s.lastPush.status === "failed" ? "destructive" : "secondary"}>{s.lastPush.status}</Badge>{" "}
                  {s.lastPush.error_kind && <span className="text-destructive text-xs">{s.lastPush.error_kind}</span>}
                </span>
              ) : (
                "none"
              )}
            </TableCell>
            <TableCell title={s.drift ? `checked ${s.drift.checkedAt}` : undefined}>
              {!s.drift ? (
                "not checked"
              ) : s.drift.error ? (
                <span className="text-destructive text-xs">{s.drift.error}</span>
              ) : s.drift.driftPorts ? (
                <Badge variant="warning">{s.drift.driftPorts} ports differ</Badge>
              ) : (
                "in sync"
              )}
            </TableCell>
            <TableCell>{s.dirtyPorts}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
