-- CreateEnum
CREATE TYPE "RequestAction" AS ENUM ('PROVISION', 'DECOMMISSION', 'CLEANUP');

-- AlterTable
ALTER TABLE "Service" ADD COLUMN     "dataDeleteAfter" TIMESTAMP(3),
ADD COLUMN     "dataDeletedAt" TIMESTAMP(3),
ADD COLUMN     "retiredAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ResourceRequest" ADD COLUMN     "action" "RequestAction" NOT NULL DEFAULT 'PROVISION',
ADD COLUMN     "targetServiceId" INTEGER;
