// `npm run lab`: start the lab's simulated systems on loopback until interrupted.
// A test tool, not app code: it reads its own variables from process.env.
import { startLab } from "./index";

const port = Number(process.env.LAB_OIDC_PORT ?? 3901);
const redirectUris = (
  process.env.LAB_OIDC_REDIRECT_URIS ??
  "http://localhost:3000/api/auth/callback/oidc,http://127.0.0.1:3000/api/auth/callback/oidc,http://127.0.0.1:3100/api/auth/callback/oidc"
)
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

const lab = await startLab({ oidc: { port, redirectUris } });
console.log(`lab: oidc issuer ${lab.oidc?.issuer} (client sankofa-it / lab-secret; logins: it-admin, it-viewer, finance, client-admin)`);

const stop = () => void lab.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
