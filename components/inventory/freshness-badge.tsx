import { Time } from "@/components/ui/time";
import { Badge } from "@/components/ui/badge";

interface Freshness {
  collected_at: string | null;
  is_stale: boolean;
  error: string | null;
  isCollecting?: boolean;
}

/** Current, stale or none: stale data is always labelled stale, with why. */
export function FreshnessBadge({ freshness }: { freshness: Freshness }) {
  const { collected_at, is_stale, error, isCollecting } = freshness;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="inventory-freshness">
      {!collected_at ? (
        <Badge variant="secondary">no data</Badge>
      ) : is_stale ? (
        <Badge variant="warning">stale</Badge>
      ) : (
        <Badge variant="success">current</Badge>
      )}
      <span className="text-muted-foreground" title={collected_at ?? undefined}>
        {collected_at ? (
          <>
            collected <Time value={collected_at} precision="minute" />
          </>
        ) : (
          "never collected"
        )}
      </span>
      {isCollecting && <Badge variant="secondary">collecting…</Badge>}
      {error && (
        <span className="text-destructive" role="alert">
          last collection failed: {error}
        </span>
      )}
    </div>
  );
}
