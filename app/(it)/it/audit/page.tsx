import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { requirePageAccess } from "@/server/auth/guard";
import { auditFilterSchema } from "@/server/trpc/routers/audit";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Audit" };

type Search = Record<string, string | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageAccess("viewer");
  const sp = await searchParams;
  const parsed = auditFilterSchema.safeParse({
    actor: sp.actor || undefined,
    entity: sp.entity || undefined,
    from: sp.from || undefined,
    to: sp.to || undefined,
    beforeId: sp.before ? Number(sp.before) : undefined,
  });
  const api = await getServerCaller();
  const page = parsed.success ? await api.audit.list(parsed.data) : { rows: [], nextBeforeId: null };
  const next = new URLSearchParams(Object.entries(sp).filter((e): e is [string, string] => Boolean(e[1]) && e[0] !== "before"));
  if (page.nextBeforeId) next.set("before", String(page.nextBeforeId));
  return (
    <>
      <PageHeader title="Audit log" description="Every write, sign-in and refused access, newest first." />
      <AuditFilters values={sp} />
      {!parsed.success && (
        <p className="text-destructive mb-4 text-sm" role="alert">
          Bad filter: {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
        </p>
      )}
      <AuditTable rows={page.rows} />
      {page.nextBeforeId && (
        <Button asChild variant="outline" className="mt-4">
          <Link href={`/it/audit?${next.toString()}`}>Older entries</Link>
        </Button>
      )}
    </>
  );
}
