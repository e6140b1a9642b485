-- AlterEnum
ALTER TYPE "HealthLevel" ADD VALUE 'MAINTENANCE';

-- DropIndex
DROP INDEX "ServiceHealth_incidentId_key";

-- AlterTable
-- (Notification's code and params came with the reconciler's migration)

-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "hostId" INTEGER,
ADD COLUMN     "importance" INTEGER NOT NULL DEFAULT 3,
ALTER COLUMN "serviceId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "IncidentDelivery" DROP CONSTRAINT "IncidentDelivery_pkey",
ADD COLUMN     "event" TEXT NOT NULL DEFAULT 'opened',
ADD CONSTRAINT "IncidentDelivery_pkey" PRIMARY KEY ("incidentId", "webhookId", "event");

-- CreateTable
CREATE TABLE "IncidentService" (
    "incidentId" INTEGER NOT NULL,
    "serviceId" INTEGER NOT NULL,

    CONSTRAINT "IncidentService_pkey" PRIMARY KEY ("incidentId","serviceId")
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "jobId" TEXT,
    "userId" INTEGER,

    CONSTRAINT "IncidentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceCanary" (
    "serviceId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "entry" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "keys" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "latencyMs" DOUBLE PRECISION,
    "error" TEXT,
    "failingSince" TIMESTAMP(3),
    "sentinelsUp" INTEGER,
    "sentinelsTotal" INTEGER,

    CONSTRAINT "ServiceCanary_pkey" PRIMARY KEY ("serviceId")
);

-- CreateTable
CREATE TABLE "CanaryMinute" (
    "serviceId" INTEGER NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "probes" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,

    CONSTRAINT "CanaryMinute_pkey" PRIMARY KEY ("serviceId","minute")
);

-- CreateIndex
CREATE INDEX "IncidentService_serviceId_idx" ON "IncidentService"("serviceId");

-- CreateIndex
CREATE INDEX "IncidentEvent_incidentId_at_idx" ON "IncidentEvent"("incidentId", "at");

-- CreateIndex
CREATE INDEX "CanaryMinute_minute_idx" ON "CanaryMinute"("minute");

-- CreateIndex
CREATE INDEX "Incident_openedAt_idx" ON "Incident"("openedAt");

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentService" ADD CONSTRAINT "IncidentService_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentService" ADD CONSTRAINT "IncidentService_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentEvent" ADD CONSTRAINT "IncidentEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceCanary" ADD CONSTRAINT "ServiceCanary_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every existing incident affects its own service
INSERT INTO "IncidentService" ("incidentId", "serviceId") SELECT "id", "serviceId" FROM "Incident" WHERE "serviceId" IS NOT NULL;
