"use client";
import { Time } from "@/components/ui/time";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableEmpty } from "@/components/ui/table";

interface PushSummary {
  id: number;
  changeId: string;
  trigger: string;
  status: string;
  startedAt: Date;
  ports: string[];
  errorKind: string | null;
  errorMessage: string | null;
  note: string | null;
}

export function PushDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.switches.push.queryOptions({ id }));
  if (error) return <p className="text-destructive text-sm">{error.message}</p>;
  if (!data) return <p className="text-sm">Loading…</p>;
  const transcript = (data.transcript as Array<{ command: string; output: string; ms: number }> | null) ?? [];
  return (
    <div className="grid gap-2 py-2">
      {data.compare && (
        <pre className="bg-muted overflow-x-auto rounded p-2 text-xs" data-testid="push-compare">
          {data.compare}
        </pre>
      )}
      {data.switchText && <pre className="bg-muted text-destructive overflow-x-auto rounded p-2 text-xs">{data.switchText}</pre>}
      <pre className="bg-muted max-h-96 overflow-auto rounded p-2 text-xs" data-testid="push-transcript">
        {transcript.map((t) => `> ${t.command}   (${t.ms} ms)\n${t.output ? `${t.output}\n` : ""}`).join("")}
      </pre>
    </div>
  );
}

export function PushesTable({ pushes }: { pushes: PushSummary[] }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Table data-testid="pushes-table">
      <TableHeader>
        <TableRow>
          <TableHead>Started (UTC)</TableHead>
          <TableHead>Change</TableHead>
          <TableHead>Trigger</TableHead>
          <TableHead>Ports</TableHead>
          <TableHead>Result</TableHead>
          <TableHead />
        </TableRow>
      </TableHeader>
      <TableBody>
        {pushes.length === 0 && <TableEmpty colSpan={6}>No pushes yet.</TableEmpty>}
        {pushes.flatMap((p) => [
          <TableRow key={p.id}>
            <TableCell className="font-mono text-xs">
              <Time value={p.startedAt} />
            </TableCell>
            <TableCell className="font-mono text-xs">{p.changeId}</TableCell>
            <TableCell className="text-xs">{p.trigger}</TableCell>
            <TableCell className="font-mono text-xs">{p.ports.join(", ") || "—"}</TableCell>
            <TableCell>
              <Badge
                variant={
                  p.status === "failed" || p.status === "rolled-back-by-switch"
                    ? "destructive"
                    : p.status === "committed" || p.status === "confirmed-after-reconnect"
                      ? "success"
                      : "secondary"
                }
              >
                {p.status}
              </Badge>{" "}
              {p.errorMessage && (
                <span className="text-destructive text-xs">
                  {p.errorKind}: {p.errorMessage}
                </span>
              )}
              {p.note && <span className="text-muted-foreground block text-xs">{p.note}</span>}
            </TableCell>
            <TableCell>
              <Button size="sm" variant="ghost" onClick={() => setOpen(open === p.id ? null : p.id)}>
                {open === p.id ? "Hide" : "Transcript"}
              </Button>
            </TableCell>
          </TableRow>,
          ...(open === p.id
            ? [
                <TableRow key={`${p.id}-detail`}>
                  <TableCell colSpan={6}>
                    <PushDetail id={p.id} />
                  </TableCell>
                </TableRow>,
              ]
            : []),
        ])}
      </TableBody>
    </Table>
  );
}
