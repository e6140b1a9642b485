import { clientAddress } from "./client-address";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "../db/client";
import { signInWithPassword } from "../domain/access/sign-in";
import { oidcProvider } from "./oidc";

const credentials = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Hedwig account",
      credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(raw, req) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const outcome = await signInWithPassword(db(), parsed.data.username, parsed.data.password, clientAddress(req?.headers));
        // next-auth hands a thrown error's message to the form, which translates it.
        if (!outcome.ok && outcome.reason === "throttled") throw new Error(`throttled:${outcome.retryAfterSec}`);
        if (!outcome.ok) return null;
        const { user } = outcome;
        return {
          id: String(user.id),
          name: user.displayName,
          email: user.email,
          role: user.role,
          username: user.username,
          sessionVersion: user.sessionVersion,
        };
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
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = { ...session.user, id: token.uid, role: token.role, username: token.username, sessionVersion: token.sv ?? 0 };
      return session;
    },
  },
};
