"use client";
import { Time } from "@/components/ui/time";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PlanView } from "./plan-view";

export const JOB_STATUS_VARIANT = {
  awaiting_approval: "warning",
  queued: "secondary",
  running: "secondary",
  succeeded: "success",
  failed: "destructive",
  rejected: "secondary",
} as const;

/** One job whole, read again every 1.5 s until it ends: plan, calls, UPIDs with their logs, approvals, audit. */
export function JobView({ id }: { id: number }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.provisioning.get.queryOptions({ id }),
    refetchInterval: (query) => (["succeeded", "failed", "rejected"].includes(query.state.data?.job.status ?? "") ? false : 1_500),
  });
  if (q.error) return <p role="alert">{q.error.message}</p>;
  if (!q.data) return <p className="text-muted-foreground text-sm">Loading…</p>;
  const { job, approvals, audit } = q.data;
  const result = job.result as { portSecurityPush?: Record<string, number> } | null;
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-3">
            Job #{job.id}{" "}
            <Badge variant={JOB_STATUS_VARIANT[job.status]} data-testid="job-status">
              {job.status}
            </Badge>
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-1 text-sm">
          <p>
            Ticket <span className="font-mono">{job.ticketId}</span> · correlation <span className="font-mono text-xs">{job.correlationId}</span>
          </p>
          <p>
            Asked by {job.requestedBy} at <Time value={job.requestedAt} precision="minute" />
            {job.approvedBy ? ` · approved by ${job.approvedBy}` : ""}
          </p>
          <p>
            Calls sent {job.callsSent} of {job.plan.calls.length}
            {job.vmid ? ` · VMID ${job.vmid}` : ""}
            {job.address ? ` · address ${job.address}` : ""}
          </p>
          {job.error && (
            <p className="text-destructive" role="alert">
              {job.error}
            </p>
          )}
          {result?.portSecurityPush && Object.keys(result.portSecurityPush).length > 0 && (
            <p>
              Port-security push:{" "}
              {Object.entries(result.portSecurityPush).map(([switchId, jobId]) => (
                <Link key={switchId} href={`/it/switches/${switchId}`} className="mr-2 underline">
                  switch {switchId} (job {jobId})
                </Link>
              ))}
            </p>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Plan</CardTitle>
        </CardHeader>
        <CardContent>
          <PlanView plan={job.plan} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Proxmox tasks</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          {job.tasks.length === 0 && <p className="text-muted-foreground text-sm">No task started yet.</p>}
          {job.tasks.map((t) => (
            <div key={t.upid} className="grid gap-1">
              <p className="flex items-center gap-2 text-sm">
                <Badge variant={t.status === "ok" ? "success" : t.status === "failed" ? "destructive" : "secondary"}>{t.status}</Badge>
                <span className="font-mono text-xs break-all">{t.upid}</span>
                {t.exitstatus && <span className="text-xs">{t.exitstatus}</span>}
              </p>
              {t.log.length > 0 && (
                <pre className="bg-muted max-h-64 overflow-auto rounded p-2 text-xs" aria-label={`Task log ${t.upid}`}>
                  {t.log.join("\n")}
                </pre>
              )}
            </div>
          ))}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Approvals and audit</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-2 text-sm">
          {approvals.map((a) => (
            <p key={a.id}>
              Approval #{a.id}: {a.status}
              {a.decidedBy ? ` by ${a.decidedBy}` : ""} — {a.summary}
            </p>
          ))}
          <ul className="grid gap-1">
            {audit.map((a) => (
              <li key={a.id} className="font-mono text-xs">
                <Time value={a.at} /> {a.actor} {a.action}
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
    </div>
  );
}
