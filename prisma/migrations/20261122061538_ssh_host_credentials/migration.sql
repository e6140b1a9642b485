-- CreateEnum
CREATE TYPE "SshAuthMethod" AS ENUM ('KEY', 'PASSWORD');

-- CreateTable
CREATE TABLE "HostCredential" (
    "hostId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "method" "SshAuthMethod" NOT NULL,
    "sshPort" INTEGER NOT NULL DEFAULT 22,
    "sealed" TEXT NOT NULL,
    "hostKeyFingerprint" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HostCredential_pkey" PRIMARY KEY ("hostId")
);

-- AddForeignKey
ALTER TABLE "HostCredential" ADD CONSTRAINT "HostCredential_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
