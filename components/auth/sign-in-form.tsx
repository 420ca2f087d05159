"use client";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export function SignInForm(props: { callbackUrl: string; error?: string; oidcName?: string; hasPassword: boolean }) {
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    const data = new FormData(e.currentTarget);
    await signIn("credentials", { email: data.get("email"), password: data.get("password"), callbackUrl: props.callbackUrl });
  }

  return (
    <div className="flex flex-col gap-4">
      {props.error && (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{props.error}</AlertDescription>
        </Alert>
      )}
      {props.oidcName && <Button onClick={() => signIn("oidc", { callbackUrl: props.callbackUrl })}>Sign in with {props.oidcName}</Button>}
      {props.hasPassword && (
        <form onSubmit={onSubmit} className="flex flex-col gap-3">
          {props.oidcName && <p className="text-muted-foreground text-center text-xs">or the bootstrap admin</p>}
          <div className="grid gap-1.5">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="username" required />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="password">Password</Label>
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <Button type="submit" variant={props.oidcName ? "outline" : "default"} disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      )}
      {!props.oidcName && !props.hasPassword && <p className="text-sm">No sign-in method is configured: set OIDC_ISSUER or ADMIN_PASSWORD.</p>}
    </div>
  );
}
