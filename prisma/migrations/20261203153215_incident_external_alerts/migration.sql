-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "externalKey" TEXT,
ADD COLUMN     "source" TEXT;

-- CreateIndex
CREATE INDEX "Incident_source_externalKey_closedAt_idx" ON "Incident"("source", "externalKey", "closedAt");
