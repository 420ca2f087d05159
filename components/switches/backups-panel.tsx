"use client";
import { Time } from "@/components/ui/time";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableEmpty } from "@/components/ui/table";

interface BackupRow {
  id: number;
  takenAt: Date;
  reason: string;
  changeId: string | null;
  sha256: string;
  isManualChange: boolean;
}

export function BackupsPanel({ switchId, backups, canBackUp }: { switchId: number; backups: BackupRow[]; canBackUp: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [picked, setPicked] = useState<number[]>([]);
  const [from, to] = [...picked].sort((a, b) => a - b);
  const diff = useQuery({ ...trpc.switches.backupDiff.queryOptions({ switchId, fromId: from ?? 0, toId: to ?? 0 }), enabled: picked.length === 2 });
  const backupNow = useMutation(trpc.switches.backupNow.mutationOptions({ onSuccess: () => setTimeout(() => router.refresh(), 1_500) }));
  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));

  return (
    <div data-testid="backups">
      <div className="mb-2 flex items-center gap-3 text-sm">
        {canBackUp && (
          <Button size="sm" variant="outline" disabled={backupNow.isPending} onClick={() => backupNow.mutate({ id: switchId })}>
            Back up now
          </Button>
        )}
        <span className="text-muted-foreground">Pick two backups to compare them. Secrets are masked in diffs{canBackUp ? "" : " and downloads"}.</span>
      </div>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead />
            <TableHead>Taken (UTC)</TableHead>
            <TableHead>Reason</TableHead>
            <TableHead>Change</TableHead>
            <TableHead>Content</TableHead>
            <TableHead />
          </TableRow>
        </TableHeader>
        <TableBody>
          {backups.length === 0 && <TableEmpty colSpan={6}>No backups yet.</TableEmpty>}
          {backups.map((b) => (
            <TableRow key={b.id}>
              <TableCell>
                <input type="checkbox" aria-label={`compare backup ${b.id}`} checked={picked.includes(b.id)} onChange={() => toggle(b.id)} />
              </TableCell>
              <TableCell className="font-mono text-xs">
                <Time value={b.takenAt} />
              </TableCell>
              <TableCell>
                {b.reason} {b.isManualChange && <Badge variant="warning">changed outside the controller</Badge>}
              </TableCell>
              <TableCell className="font-mono text-xs">{b.changeId ?? "—"}</TableCell>
              <TableCell className="font-mono text-xs">{b.sha256.slice(0, 12)}</TableCell>
              <TableCell>
                <a className="text-sm underline" href={`/api/switches/${switchId}/backups/${b.id}`}>
                  Download
                </a>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {picked.length === 2 && (
        <pre className="bg-muted mt-2 max-h-96 overflow-auto rounded p-2 text-xs" data-testid="backup-diff">
          {diff.error ? diff.error.message : (diff.data ?? "Loading…")}
        </pre>
      )}
    </div>
  );
}
