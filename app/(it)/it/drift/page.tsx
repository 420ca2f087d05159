import { Time } from "@/components/ui/time";
import Link from "next/link";
import { DeclaredImportForm } from "@/components/inventory/declared-import-form";
import { DriftSections } from "@/components/inventory/drift-sections";
import { FreshnessBadge } from "@/components/inventory/freshness-badge";
import { ImportFromPathsButton } from "@/components/inventory/import-from-paths-button";
import { RefreshButton } from "@/components/inventory/refresh-button";
import { PageHeader } from "@/components/shell/page-header";
import { hasAccess } from "@/lib/auth/roles";
import type { DeclaredFile } from "@/lib/inventory/report";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Drift" };

function DeclaredSummary({ label, file }: { label: string; file: DeclaredFile | null }) {
  if (!file) return <li>{label}: not imported</li>;
  return (
    <li>
      {label}: {file.entries} read{file.name ? ` from ${file.name}` : ""}, imported <Time value={file.imported_at} precision="minute" />
      {file.problems.length > 0 && (
        <ul className="text-warning-foreground ml-4 list-disc font-mono text-xs" data-testid="declared-problems">
          {file.problems.map((p) => (
            <li key={p.line}>
              line {p.line}: {p.message}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

// Enough rows of each kind to act on; the counts are whole and drift.json (the API) lists every row.
const DRIFT_ROWS_PER_KIND = 25;

export default async function DriftPage() {
  const user = await requirePageAccess("viewer");
  const api = await getServerCaller();
  const [drift, status, paths] = await Promise.all([
    api.inventory.drift({ limitPerKind: DRIFT_ROWS_PER_KIND }),
    api.inventory.status(),
    api.inventory.declaredPaths(),
  ]);
  const isAdmin = hasAccess(user.roles, "admin");
  return (
    <>
      <PageHeader
        title="Drift"
        description="Live Proxmox inventory against ip-addresses.conf, the VMID doc and IPAM; IPAM against the switches' latest backups and the VMACs."
      >
        {isAdmin && <RefreshButton lastAttemptId={status.lastAttempt?.id ?? null} />}
      </PageHeader>
      <div className="mb-4 grid gap-2">
        <FreshnessBadge freshness={{ ...status, error: drift.error }} />
        <ul className="text-muted-foreground text-sm">
          <DeclaredSummary label="ip-addresses.conf" file={drift.declared.ip_addresses_conf} />
          <DeclaredSummary label="VMID doc" file={drift.declared.vmid_doc} />
          <li>
            IPAM: {drift.ipam.addresses} addresses against the live guests and {drift.ipam.bindings} switch bindings (latest backups)
          </li>
        </ul>
        <p className="text-sm">
          From a public hostname through NPM to the guest, its node and the switch port:{" "}
          <Link className="underline" href="/it/ports">
            the port map and its findings
          </Link>
          .
        </p>
      </div>
      <p className="text-muted-foreground mb-4 text-sm">
        An IP that should be bound and is not:{" "}
        <Link href="/it/why" className="underline">
          why (not) bound?
        </Link>{" "}
        follows it from Tenantos to the switch.
      </p>
      <DriftSections drift={drift} />
      {isAdmin && (
        <div className="mt-6 grid gap-3">
          <ImportFromPathsButton paths={paths} />
          <DeclaredImportForm />
        </div>
      )}
    </>
  );
}
