// An OpenID Connect provider for the tests, on loopback only. Configured by environment variables:
// PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, ACCOUNTS (JSON: {"sub": {"email": …, "email_verified": …}}),
// CODE_TTL (seconds an authorisation code lives).
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const accounts = JSON.parse(process.env.ACCOUNTS || "{}");

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  ttl: { AuthorizationCode: Number(process.env.CODE_TTL || 60) },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { sub, ...account }; } };
  },
  cookies: { keys: ["participate-test-only"] },
});
provider.proxy = false;
const server = provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
