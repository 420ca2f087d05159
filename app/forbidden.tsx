import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export default function Forbidden() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <Card className="w-full max-w-md">
        <CardHeader>
          <CardTitle>403 — Forbidden</CardTitle>
          <CardDescription>
            Your account has no Sankofa IT role for this page. IT admins, IT viewers and finance have access; ask an IT admin if you need it.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex gap-2">
          <Button asChild variant="outline">
            <Link href="/api/auth/signout">Sign in as someone else</Link>
          </Button>
        </CardContent>
      </Card>
    </main>
  );
}
