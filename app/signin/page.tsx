import { SignInForm } from "@/components/auth/sign-in-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { isBootstrapAdminEnabled, isOidcConfigured } from "@/server/auth/options";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  OAuthSignin: "Could not reach the identity provider.",
  OAuthCallback: "The identity provider's answer could not be verified.",
  SessionRequired: "Please sign in.",
};

function safeCallback(url: string | undefined): string {
  // Only same-site paths: an open redirect on a sign-in page is a phishing tool.
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/it";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const error = params.error ? (ERRORS[params.error] ?? "Sign-in failed.") : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle>Sankofa IT</CardTitle>
          <CardDescription>Sign in to the IT operations console.</CardDescription>
        </CardHeader>
        <CardContent>
          <SignInForm
            callbackUrl={safeCallback(params.callbackUrl)}
            error={error}
            oidcName={isOidcConfigured() ? getEnv().OIDC_NAME : undefined}
            hasPassword={isBootstrapAdminEnabled()}
          />
        </CardContent>
      </Card>
    </main>
  );
}
