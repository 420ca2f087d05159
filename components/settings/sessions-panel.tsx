"use client";
import { Time } from "@/components/ui/time";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ErrorText } from "@/components/ui/error-text";

/** Who is signed in; an admin ends a session (a lost laptop, a leaver) and every copy of its cookie stops working. */
export function SessionsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.sessions.list.queryOptions());
  const revoke = useMutation(
    trpc.sessions.revoke.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() }) }),
  );
  return (
    <Card className="mt-6 max-w-4xl" data-testid="sessions">
      <CardHeader>
        <CardTitle>Signed-in sessions</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>User</TableHead>
              <TableHead>Sign-in</TableHead>
              <TableHead>Roles</TableHead>
              <TableHead>Since (UTC)</TableHead>
              <TableHead>Checked with the IdP</TableHead>
              <TableHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {sessions.data?.length === 0 && <TableEmpty colSpan={6}>No one is signed in.</TableEmpty>}
            {sessions.data?.map((s) => (
              <TableRow key={s.id}>
                <TableCell>{s.email}</TableCell>
                <TableCell className="text-xs">{s.provider === "credentials" ? "bootstrap admin (break-glass)" : "OIDC"}</TableCell>
                <TableCell className="text-xs">{s.roles.join(", ")}</TableCell>
                <TableCell className="font-mono text-xs">
                  <Time value={s.createdAt} precision="minute" />
                </TableCell>
                <TableCell className="font-mono text-xs">{s.provider === "oidc" ? <Time value={s.checkedAt} precision="minute" /> : "—"}</TableCell>
                <TableCell>
                  <Button size="sm" variant="outline" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: s.id })}>
                    Sign out
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <ErrorText error={revoke.error} className="text-sm" as="p" />
      </CardContent>
    </Card>
  );
}
