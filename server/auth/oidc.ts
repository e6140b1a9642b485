import type { Provider } from "next-auth/providers/index";
import { db } from "../db/client";

/**
 * Enterprises sign in with their directory. When HEDWIG_OIDC_ISSUER, HEDWIG_OIDC_CLIENT_ID and
 * HEDWIG_OIDC_CLIENT_SECRET are set, an OpenID Connect provider appears on the sign-in page.
 * A directory user signs in only if an ADMIN created a Hedwig user with the same username
 * (the OIDC `preferred_username`); the role and product lines stay managed in Hedwig.
 */
export function oidcProvider(): Provider[] {
  const issuer = process.env.HEDWIG_OIDC_ISSUER;
  const clientId = process.env.HEDWIG_OIDC_CLIENT_ID;
  const clientSecret = process.env.HEDWIG_OIDC_CLIENT_SECRET;
  if (!issuer || !clientId || !clientSecret) return [];
  return [
    {
      id: "oidc",
      name: process.env.HEDWIG_OIDC_NAME ?? "Company directory",
      type: "oauth",
      wellKnown: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId,
      clientSecret,
      authorization: { params: { scope: "openid profile email" } },
      idToken: true,
      async profile(profile: { sub: string; preferred_username?: string; name?: string; email?: string }) {
        const username = profile.preferred_username ?? profile.email ?? profile.sub;
        const user = await db().user.findUnique({ where: { username } });
        if (!user || user.disabled) throw new Error(`no enabled Hedwig user named ${username}; ask an ADMIN to create one`);
        return { id: String(user.id), name: user.displayName, email: user.email, role: user.role, username: user.username };
      },
    },
  ];
}
