import type { Provider } from "next-auth/providers/index";
import { db } from "../db/client";

/**
 * Enterprises sign in with their directory. When HEDWIG_OIDC_ISSUER, HEDWIG_OIDC_CLIENT_ID and
 * HEDWIG_OIDC_CLIENT_SECRET are set, an OpenID Connect provider appears on the sign-in page.
 * A directory user signs in only if an ADMIN created a Hedwig user with the same username
 * (the OIDC `preferred_username`); the role and product lines stay managed in Hedwig. The first
 * sign-in links the Hedwig user to the directory's stable subject (`sub`); from then on the user
 * is found by `sub`, so renaming someone in the directory cannot make them another Hedwig user.
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
        const user = await linkedUser(profile);
        return {
          id: String(user.id),
          name: user.displayName,
          email: user.email,
          role: user.role,
          username: user.username,
          sessionVersion: user.sessionVersion,
        };
      },
    },
  ];
}

async function linkedUser(profile: { sub: string; preferred_username?: string; email?: string }) {
  if (!profile.sub) throw new Error("the directory sent no subject (sub)");
  const linked = await db().user.findUnique({ where: { oidcSubject: profile.sub } });
  if (linked) {
    if (linked.disabled) throw new Error(`the Hedwig user ${linked.username} is disabled`);
    return linked;
  }
  const username = profile.preferred_username ?? profile.email ?? profile.sub;
  const user = await db().user.findUnique({ where: { username } });
  if (!user || user.disabled) throw new Error(`no enabled Hedwig user named ${username}; ask an ADMIN to create one`);
  // A user already linked to another subject is someone else who now carries this name.
  if (user.oidcSubject && user.oidcSubject !== profile.sub) throw new Error(`the Hedwig user ${username} belongs to another directory account`);
  // Linked only if still unlinked: two first sign-ins at once cannot both claim the user.
  const claimed = await db().user.updateMany({ where: { id: user.id, oidcSubject: null }, data: { oidcSubject: profile.sub } });
  if (claimed.count === 0) throw new Error(`the Hedwig user ${username} was just linked to another directory account`);
  return user;
}
