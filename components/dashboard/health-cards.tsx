import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { Health } from "@/server/services/platform/health";
import type { JobState } from "@/server/services/platform/jobs";

function Status({ ok }: { ok: boolean }) {
  return <Badge variant={ok ? "success" : "destructive"}>{ok ? "healthy" : "down"}</Badge>;
}

export function HealthCards({ health, jobs }: { health: Health; jobs: Record<JobState, number> }) {
  const age = health.worker.ageMs === null ? "never" : `${Math.round(health.worker.ageMs / 1000)} s ago`;
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <Card data-testid="health-database">
        <CardHeader>
          <CardTitle className="flex items-center justify-between">
            Database <Status ok={health.database.ok} />
          </CardTitle>
          <CardDescription>{health.database.ok ? `answered in ${health.database.latencyMs} ms` : health.database.error}</CardDescription>
        </CardHeader>
      </Card>
      <Card data-testid="health-worker">
        <CardHeader>
          <CardTitle className="flex items-center justify-between">
            Workers <Status ok={health.worker.ok} />
          </CardTitle>
          <CardDescription>
            last heartbeat {age}
            {health.worker.error ? ` — ${health.worker.error}` : ""}; {health.worker.workers} live
          </CardDescription>
        </CardHeader>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Jobs</CardTitle>
          <CardDescription>
            <Link className="underline" href="/it/jobs">
              queued {jobs.queued} · running {jobs.running} · retrying {jobs.retrying} · failed {jobs.failed}
            </Link>
          </CardDescription>
        </CardHeader>
      </Card>
    </div>
  );
}
