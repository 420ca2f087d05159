"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { FreshnessBadge } from "@/components/ports/edge-paths";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { SOURCE_LABELS, type PortProposal } from "@/lib/edge/port-proposals";

/**
 * The rows the network proposes, apart from the confirmed map: confirm one, or every one the search
 * names that contradicts nothing. Only the first rows are shown (a network can propose thousands);
 * "Confirm all" names the count it will confirm, and the server refuses if that count moved.
 */
export function PortProposalList({
  proposals,
  total,
  confirmable,
  query,
  canEdit,
}: {
  proposals: PortProposal[];
  total: number;
  confirmable: number;
  query: string;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const confirm = useMutation(trpc.ports.confirmProposals.mutationOptions({ onSuccess: () => router.refresh() }));
  const confirmEvery = useMutation(trpc.ports.confirmEveryProposal.mutationOptions({ onSuccess: () => router.refresh() }));
  const isPending = confirm.isPending || confirmEvery.isPending;
  const error = confirm.error ?? confirmEvery.error;
  return (
    <div className="grid gap-3">
      {canEdit && confirmable > 0 && (
        <div className="flex items-center gap-3 text-sm">
          <Button size="sm" onClick={() => confirmEvery.mutate({ q: query, expectedCount: confirmable })} disabled={isPending}>
            Confirm all {confirmable}
          </Button>
          <span className="text-muted-foreground">Proposals that contradict a typed row are left out: the typed row is kept.</span>
        </div>
      )}
      {error && (
        <span className="text-destructive text-sm" role="alert">
          {error.message}
        </span>
      )}
      <Table data-testid="port-proposals">
        <TableHeader>
          <TableRow>
            <TableHead>Switch</TableHead>
            <TableHead>Port</TableHead>
            <TableHead>LAG</TableHead>
            <TableHead>Far end</TableHead>
            <TableHead>Source</TableHead>
            <TableHead />
          </TableRow>
        </TableHeader>
        <TableBody>
          {proposals.map((p) => (
            <TableRow key={p.key} aria-label={`Proposed ${p.switchName} ${p.port}`}>
              <TableCell>{p.switchName}</TableCell>
              <TableCell className="font-mono">{p.port}</TableCell>
              <TableCell className="text-xs">{p.lag ?? "—"}</TableCell>
              <TableCell className="text-xs">
                <span className="grid gap-0.5">
                  <span>
                    {p.farHost} {p.farNic ?? <span className="text-muted-foreground">NIC unknown</span>}
                    {p.hostBond ? ` (in ${p.hostBond})` : ""}
                  </span>
                  {p.nicNote && <span className="text-muted-foreground">{p.nicNote}</span>}
                  {p.macNote && <span className="text-muted-foreground">{p.macNote}</span>}
                  {p.contradicts && (
                    <Badge variant="warning" className="whitespace-normal">
                      {p.contradicts.message}; the typed row is kept
                    </Badge>
                  )}
                </span>
              </TableCell>
              <TableCell className="text-xs">
                <span className="grid gap-0.5">
                  <span>
                    {SOURCE_LABELS[p.source]}: <span className="font-mono">{p.evidence}</span>
                  </span>
                  <FreshnessBadge freshness={p.freshness} />
                </span>
              </TableCell>
              <TableCell>
                {canEdit && !p.contradicts && (
                  <Button size="sm" variant="outline" onClick={() => confirm.mutate({ keys: [p.key] })} disabled={isPending}>
                    Confirm
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
          {proposals.length === 0 && <TableEmpty colSpan={6}>Nothing proposed: every port the network reports is in the map.</TableEmpty>}
        </TableBody>
      </Table>
      {total > proposals.length && (
        <p className="text-muted-foreground text-sm" data-testid="port-proposals-range">
          {proposals.length} of {total} proposals shown: search to narrow them.
        </p>
      )}
    </div>
  );
}
