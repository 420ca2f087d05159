import { notFound } from "next/navigation";
import { JobView } from "@/components/provisioning/job-view";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/server/auth/guard";

export const metadata = { title: "Provisioning job" };

export default async function ProvisioningJobPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAccess("viewer");
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  return (
    <>
      <PageHeader title={`Provisioning job #${id}`} description="Its plan, the Proxmox calls and tasks (UPIDs with their logs), approvals and audit trail." />
      <JobView id={id} />
    </>
  );
}
