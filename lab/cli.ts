// `npm run lab`: the lab's simulated systems on loopback until interrupted: the OpenID provider
// and the demo world (two EX switches, Tenantos, Proxmox). A test tool, not app code: it reads
// its own variables from process.env.
import { startDemoLab } from "./demo";
import { createLabInventoryWorld } from "./inventory/world";
import { startLabProxmox } from "./proxmox";

const port = Number(process.env.LAB_OIDC_PORT ?? 3901);
const switchPort = Number(process.env.LAB_SWITCH_PORT ?? 3922);
const redirectUris = (
  process.env.LAB_OIDC_REDIRECT_URIS ??
  "http://localhost:3000/api/auth/callback/oidc,http://127.0.0.1:3000/api/auth/callback/oidc,http://127.0.0.1:3100/api/auth/callback/oidc"
)
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

const lab = await startDemoLab({
  oidc: { port, redirectUris },
  ports: { ex4200: switchPort, ex3400: switchPort + 1, tenantos: switchPort + 9, proxmox: switchPort + 10, unifi: switchPort + 11, npm: switchPort + 12 },
});
console.log(
  `lab: oidc issuer ${lab.oidc?.issuer} (client sankofa-it / lab-secret; logins: it-admin (with OTP), it-admin-no-otp, it-viewer, finance, client-admin)`,
);
for (const sw of lab.switches.values()) {
  console.log(
    `lab: switch ${sw.name} (${sw.state.dialect}) ssh ${sw.username}@${sw.host}:${sw.port} password ${sw.password} host key ${sw.hostKeyFingerprint}`,
  );
}
console.log(`lab: tenantos ${lab.tenantos!.url} (TENANTOS_API_KEY=${lab.tenantos!.apiKey})`);
console.log(`lab: proxmox ${lab.proxmox!.url} (PROXMOX_TOKEN_ID=${lab.proxmox!.tokenId} PROXMOX_TOKEN_SECRET=${lab.proxmox!.tokenSecret})`);
console.log(
  `lab: unifi ${lab.unifi!.url} API key ${lab.unifi!.apiKey} (or ${lab.unifi!.username} / ${lab.unifi!.password}) TLS pin ${lab.unifi!.fingerprint256}`,
);
console.log(`lab: npm ${lab.npm!.url} account ${lab.npm!.identity} / ${lab.npm!.secret}`);

// Issue 5's cluster: PROXMOX_URL=http://127.0.0.1:3906 with the token printed below.
const pve = await startLabProxmox({ port: Number(process.env.LAB_PROXMOX_PORT ?? 3906), world: createLabInventoryWorld() });
console.log(`lab: proxmox ${pve.url} token ${pve.tokenId} secret ${pve.tokenSecret} (${pve.world.nodes.length} nodes, ${pve.world.guests.length} guests)`);

const stop = () => void Promise.all([lab.close(), pve.close()]).then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
