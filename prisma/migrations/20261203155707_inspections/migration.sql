-- CreateEnum
CREATE TYPE "InspectionSeverity" AS ENUM ('CRITICAL', 'WARNING', 'INFO');

-- CreateTable
CREATE TABLE "InspectionRun" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "byId" INTEGER,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "instances" INTEGER NOT NULL DEFAULT 0,
    "services" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,

    CONSTRAINT "InspectionRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InspectionFinding" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "severity" "InspectionSeverity" NOT NULL,
    "serviceId" INTEGER,
    "instanceId" INTEGER,
    "hostId" INTEGER,
    "params" JSONB NOT NULL DEFAULT '{}',
    "fixable" BOOLEAN NOT NULL DEFAULT false,
    "fixedAt" TIMESTAMP(3),
    "fixedById" INTEGER,

    CONSTRAINT "InspectionFinding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InspectionRun_startedAt_idx" ON "InspectionRun"("startedAt");

-- CreateIndex
CREATE INDEX "InspectionFinding_runId_severity_idx" ON "InspectionFinding"("runId", "severity");

-- CreateIndex
CREATE INDEX "InspectionFinding_runId_code_idx" ON "InspectionFinding"("runId", "code");

-- AddForeignKey
ALTER TABLE "InspectionFinding" ADD CONSTRAINT "InspectionFinding_runId_fkey" FOREIGN KEY ("runId") REFERENCES "InspectionRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
