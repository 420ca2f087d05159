import { PageHeader } from "@/components/shell/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { FilterInput } from "@/components/ui/filter-fields";
import { isAppError } from "@/lib/errors";
import type { WhyAnswer, WhyStatus } from "@/lib/port-security/explain";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Why (not) bound?" };

const VARIANT: Record<WhyStatus, "secondary" | "destructive" | "warning" | "default"> = {
  ok: "secondary",
  info: "secondary",
  pending: "warning",
  skipped: "warning",
  missing: "destructive",
  failed: "destructive",
};

function Answer({ answer }: { answer: WhyAnswer }) {
  return (
    <div className="grid gap-3" data-testid="why-answer">
      <Alert variant={answer.verdict === "bound" ? "default" : "destructive"}>
        <AlertDescription data-testid="why-summary">
          <strong className="mr-2">{answer.verdict}</strong>
          {answer.summary}
        </AlertDescription>
      </Alert>
      <ol className="grid gap-2">
        {answer.steps.map((s, i) => (
          <li key={i}>
            <Card data-testid={`why-step-${s.step}`}>
              <CardHeader className="pb-1">
                <CardTitle className="flex items-center gap-2 text-sm">
                  {s.title} <Badge variant={VARIANT[s.status]}>{s.status}</Badge>
                </CardTitle>
              </CardHeader>
              <CardContent className="font-mono text-xs">
                {s.lines.map((l, j) => (
                  <div key={j}>{l}</div>
                ))}
              </CardContent>
            </Card>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The page an admin opens when a customer says "my new IP doesn't work". */
export default async function WhyPage({ searchParams }: { searchParams: Promise<{ ip?: string }> }) {
  await requirePageAccess("viewer");
  const { ip } = await searchParams;
  const api = await getServerCaller();
  let answer: WhyAnswer | null = null;
  let error: string | null = null;
  if (ip) {
    try {
      answer = await api.portSecurity.why({ ip });
    } catch (e) {
      error = isAppError(e) || e instanceof Error ? e.message : String(e);
    }
  }
  return (
    <>
      <PageHeader
        title="Why (not) bound?"
        description="For one IP: who holds it in Tenantos, its switch port, the rules that apply, the last push, what the switches hold now, and any drift."
      />
      <form method="get" className="mb-4 flex items-end gap-3 text-sm">
        <FilterInput name="ip" label="IP address" defaultValue={ip} width="w-56" />
        <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
          Explain
        </button>
      </form>
      {error && (
        <Alert variant="destructive">
          <AlertDescription role="alert">{error}</AlertDescription>
        </Alert>
      )}
      {answer && <Answer answer={answer} />}
    </>
  );
}
