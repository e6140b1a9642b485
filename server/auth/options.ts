import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "../db/client";
import { verifyPassword } from "./password";
import { oidcProvider } from "./oidc";

const credentials = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Hedwig account",
      credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const user = await db().user.findUnique({ where: { username: parsed.data.username } });
        if (!user || user.disabled || !user.passwordHash) return null;
        if (!(await verifyPassword(user.passwordHash, parsed.data.password))) return null;
        return { id: String(user.id), name: user.displayName, email: user.email, role: user.role, username: user.username };
      },
    }),
    ...oidcProvider(),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.uid = Number(user.id);
        token.role = user.role;
        token.username = user.username;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = { ...session.user, id: token.uid, role: token.role, username: token.username };
      return session;
    },
  },
};
