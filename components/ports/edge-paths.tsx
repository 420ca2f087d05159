import { Time } from "@/components/ui/time";
import { Badge } from "@/components/ui/badge";
import type { Freshness } from "@/lib/edge/freshness";
import type { EdgeFinding, EdgePath, FindingKind } from "@/lib/edge/path";
import { computePathDiagram } from "@/lib/edge/path-diagram";
import { EdgePathDiagram } from "./edge-path-diagram";

const SOURCE_LABELS: Record<Freshness["source"], string> = {
  unifi: "UniFi",
  npm: "NPM",
  "proxmox-network": "Proxmox network",
  inventory: "inventory",
  ipam: "IPAM",
  "port-map": "port map",
  "junos-lldp": "Junos LLDP",
};

const FINDING_LABELS: Record<FindingKind, string> = {
  "no-proxy-host": "no NPM proxy host",
  "forward-host-not-in-ipam": "not in IPAM",
  "ip-on-no-guest": "IP on no guest",
  "guest-on-other-node": "guest on another node",
  "node-nic-unmapped": "node unmapped",
  "forward-ip-moved": "forward to a moved IP",
  "certificate-expiring": "certificate expiring",
  "port-map-disagrees": "typed vs collected",
  "lldp-neighbor-unknown": "unknown LLDP neighbour",
};

/** Where a fact came from and how fresh it is; a stale source never reads as current. */
export function FreshnessBadge({ freshness }: { freshness: Freshness }) {
  return (
    <span className="text-muted-foreground inline-flex items-center gap-1 text-xs">
      {SOURCE_LABELS[freshness.source]} · <Time value={freshness.collectedAt} fallback="never collected" />
      {freshness.isStale && (
        <Badge variant="warning" title={freshness.error ?? undefined}>
          stale{freshness.error ? `: ${freshness.error.slice(0, 80)}` : ""}
        </Badge>
      )}
    </span>
  );
}

export function EdgeSources({ sources }: { sources: Record<string, Freshness> }) {
  return (
    <div className="flex flex-wrap gap-4" data-testid="edge-sources">
      {Object.values(sources).map((f) => (
        <FreshnessBadge key={f.source} freshness={f} />
      ))}
    </div>
  );
}

/** Each path drawn (hostname → … → switch port), then its hops with their sources and findings. */
export function EdgePathList({ paths, switchIds = {} }: { paths: EdgePath[]; switchIds?: Record<string, number> }) {
  if (paths.length === 0) return <p className="text-muted-foreground text-sm">No path matches.</p>;
  return (
    <div className="grid gap-3" data-testid="edge-paths">
      {paths.map((p) => (
        <section key={p.id} aria-label={`Path ${p.title}`} className="rounded-md border p-3">
          <h3 className="mb-2 font-medium">
            {p.title}{" "}
            {p.findings.length > 0 && (
              <Badge variant="warning">
                {p.findings.length} finding{p.findings.length > 1 ? "s" : ""}
              </Badge>
            )}
          </h3>
          <div className="mb-3 overflow-x-auto">
            <EdgePathDiagram diagram={computePathDiagram(p, switchIds)} />
          </div>
          <ol className="grid gap-1 text-sm" aria-label={`Hops of ${p.title} with their sources`}>
            {p.hops.map((h, i) => (
              <li key={i} className="flex flex-wrap items-baseline gap-2">
                <span className="text-muted-foreground w-28 shrink-0 text-xs">{h.kind.replace("-", " ")}</span>
                <span className="font-mono">{h.label}</span>
                {h.isUnconfirmed && <Badge variant="warning">unconfirmed</Badge>}
                {h.detail && <span className="text-muted-foreground text-xs">{h.detail}</span>}
                <FreshnessBadge freshness={h.freshness} />
              </li>
            ))}
          </ol>
          {p.findings.length > 0 && (
            <ul className="text-warning-foreground mt-2 list-disc pl-5 text-sm">
              {p.findings.map((f, i) => (
                <li key={i}>{f.message}</li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

export function EdgeFindingList({ findings }: { findings: EdgeFinding[] }) {
  if (findings.length === 0) return <p className="text-muted-foreground text-sm">No findings: every link of every path is accounted for.</p>;
  return (
    <ul className="grid gap-1 text-sm" data-testid="edge-findings">
      {findings.map((f, i) => (
        <li key={i} className="flex flex-wrap items-baseline gap-2">
          <Badge variant="outline">{FINDING_LABELS[f.kind]}</Badge>
          <span>{f.message}</span>
        </li>
      ))}
    </ul>
  );
}
