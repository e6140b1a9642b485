import type { Role } from "../generated/prisma/enums";

declare module "next-auth" {
  interface User {
    role: Role;
    username: string;
    /** User.sessionVersion when signed in; a session with an older one has ended */
    sessionVersion?: number;
  }
  interface Session {
    user: { id: number; role: Role; username: string; sessionVersion: number; name?: string | null; email?: string | null };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid: number;
    role: Role;
    username: string;
    sv?: number;
  }
}
