import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/shell/page-header";
import { auditTableSpec } from "@/lib/audit/audit-table";
import { parseTableState } from "@/lib/table/url-state";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Audit" };

type Search = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageAccess("viewer");
  const { state, errors } = parseTableState(auditTableSpec, await searchParams);
  const api = await getServerCaller();
  const page = await api.audit.table(state);
  return (
    <>
      <PageHeader title="Audit log" description="Every write, sign-in and refused access, newest first." />
      {errors.length > 0 && (
        <p className="text-destructive mb-4 text-sm" role="alert">
          Bad filter (left out): {errors.join("; ")}
        </p>
      )}
      <AuditTable page={page} state={state} />
    </>
  );
}
