-- CreateEnum
CREATE TYPE "CredentialKind" AS ENUM ('APP', 'OPS', 'REPL', 'SENTINEL');

-- CreateTable
CREATE TABLE "ServiceCredential" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "kind" "CredentialKind" NOT NULL,
    "username" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "previousSealed" TEXT,
    "rotatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceCredential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ServiceCredential_serviceId_kind_key" ON "ServiceCredential"("serviceId", "kind");

-- AddForeignKey
ALTER TABLE "ServiceCredential" ADD CONSTRAINT "ServiceCredential_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
