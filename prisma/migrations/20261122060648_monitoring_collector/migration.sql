-- CreateTable
CREATE TABLE "CollectorCursor" (
    "instanceId" INTEGER NOT NULL,
    "cursor" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectorCursor_pkey" PRIMARY KEY ("instanceId")
);

-- CreateTable
CREATE TABLE "CollectorWorker" (
    "id" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectorWorker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentDelivery" (
    "incidentId" INTEGER NOT NULL,
    "webhookId" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "deliveredAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IncidentDelivery_pkey" PRIMARY KEY ("incidentId","webhookId")
);

-- CreateIndex
CREATE INDEX "CollectorWorker_seenAt_idx" ON "CollectorWorker"("seenAt");

-- AddForeignKey
ALTER TABLE "CollectorCursor" ADD CONSTRAINT "CollectorCursor_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentDelivery" ADD CONSTRAINT "IncidentDelivery_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentDelivery" ADD CONSTRAINT "IncidentDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "AlertWebhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;
