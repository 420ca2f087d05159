import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { findNavItem } from "@/lib/nav";
import { requirePageAccess } from "@/server/auth/guard";

// Areas later issues build; until then each says so plainly instead of showing an empty table.
export default async function AreaNotBuilt({ params }: { params: Promise<{ area: string }> }) {
  const { area } = await params;
  const item = findNavItem(`/it/${area}`);
  if (!item || item.isBuilt) notFound();
  await requirePageAccess(item.access);
  return (
    <>
      <PageHeader title={item.label} description={item.summary} />
      <Card>
        <CardContent className="py-8 text-center">
          <p className="font-medium">Not built yet.</p>
          <p className="text-muted-foreground text-sm">This area of the console is planned and has no data or actions yet.</p>
        </CardContent>
      </Card>
    </>
  );
}
