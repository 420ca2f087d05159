export const E2E_PORT = 3100;
export const LAB_OIDC_PORT = 3901;
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const LAB_ISSUER = `http://127.0.0.1:${LAB_OIDC_PORT}/realms/sankofa`;
export const E2E_ADMIN = { email: "admin@e2e.sankofa.test", password: "e2e-bootstrap-password" };
export const E2E_EVENT_TOKEN = "e2e-port-security-token-0123456789";
export const E2E_DEMO_LAB_PORT = 3951;

/** Prometheus's token for /api/metrics in the app under test (production keeps the door shut without one). */
export const E2E_METRICS_TOKEN = "e2e-metrics-token-0123456789abcdef";
