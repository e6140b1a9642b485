-- AlterTable
ALTER TABLE "Instance" ADD COLUMN     "maintenanceNote" TEXT,
ADD COLUMN     "maintenanceUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "automatic" BOOLEAN NOT NULL DEFAULT false;
