-- CreateEnum
CREATE TYPE "HealthLevel" AS ENUM ('GREEN', 'AMBER', 'RED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "WebhookFormat" AS ENUM ('GENERIC', 'DINGTALK', 'WECOM');

-- CreateEnum
CREATE TYPE "PromotionKind" AS ENUM ('DOUBLE_11', 'SIX_EIGHTEEN', 'DOUBLE_12', 'OTHER');

-- AlterTable
ALTER TABLE "Service" ADD COLUMN     "healthOverrides" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "HostProbe" (
    "hostId" INTEGER NOT NULL,
    "reachable" BOOLEAN NOT NULL,
    "probedAt" TIMESTAMP(3) NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "error" TEXT,

    CONSTRAINT "HostProbe_pkey" PRIMARY KEY ("hostId")
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "instanceId" INTEGER NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "up" BOOLEAN NOT NULL,
    "opsPerSec" DOUBLE PRECISION,
    "readsPerSec" DOUBLE PRECISION,
    "writesPerSec" DOUBLE PRECISION,
    "hitsPerSec" DOUBLE PRECISION,
    "missesPerSec" DOUBLE PRECISION,
    "evictionsPerSec" DOUBLE PRECISION,
    "rejectedPerSec" DOUBLE PRECISION,
    "expiredPerSec" DOUBLE PRECISION,
    "netInKbps" DOUBLE PRECISION,
    "netOutKbps" DOUBLE PRECISION,
    "usedMemoryMb" DOUBLE PRECISION,
    "maxmemoryMb" DOUBLE PRECISION,
    "clients" INTEGER,
    "blockedClients" INTEGER,
    "keys" BIGINT,
    "latencyP50Us" DOUBLE PRECISION,
    "latencyP99Us" DOUBLE PRECISION,
    "latencyP999Us" DOUBLE PRECISION,
    "replLinkUp" BOOLEAN,
    "replLagSec" DOUBLE PRECISION,
    "proxyEjected" INTEGER,
    "proxyTimeouts" INTEGER,
    "commands" JSONB,
    "latencyHistogram" JSONB,
    "extra" JSONB,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("instanceId","at")
);

-- CreateTable
CREATE TABLE "ServiceMinute" (
    "serviceId" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "samples" INTEGER NOT NULL,
    "opsAvg" DOUBLE PRECISION NOT NULL,
    "opsMax" DOUBLE PRECISION NOT NULL,
    "readsAvg" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "writesAvg" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "hits" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "misses" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "evictions" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "rejected" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "usedMemoryMbMax" DOUBLE PRECISION NOT NULL,
    "maxmemoryMb" DOUBLE PRECISION NOT NULL,
    "clientsMax" INTEGER NOT NULL,
    "latencyP99UsMax" DOUBLE PRECISION,
    "commands" JSONB,
    "latencyHistogram" JSONB,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ServiceMinute_pkey" PRIMARY KEY ("serviceId","bucket")
);

-- CreateTable
CREATE TABLE "ServiceHour" (
    "serviceId" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "samples" INTEGER NOT NULL,
    "opsAvg" DOUBLE PRECISION NOT NULL,
    "opsMax" DOUBLE PRECISION NOT NULL,
    "readsAvg" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "writesAvg" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "hits" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "misses" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "evictions" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "rejected" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "usedMemoryMbMax" DOUBLE PRECISION NOT NULL,
    "maxmemoryMb" DOUBLE PRECISION NOT NULL,
    "clientsMax" INTEGER NOT NULL,
    "latencyP99UsMax" DOUBLE PRECISION,
    "commands" JSONB,
    "latencyHistogram" JSONB,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ServiceHour_pkey" PRIMARY KEY ("serviceId","bucket")
);

-- CreateTable
CREATE TABLE "InstanceHealth" (
    "instanceId" INTEGER NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "level" "HealthLevel" NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "since" TIMESTAMP(3) NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "lastUpAt" TIMESTAMP(3),

    CONSTRAINT "InstanceHealth_pkey" PRIMARY KEY ("instanceId")
);

-- CreateTable
CREATE TABLE "ServiceHealth" (
    "serviceId" INTEGER NOT NULL,
    "productLineId" INTEGER NOT NULL,
    "level" "HealthLevel" NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "since" TIMESTAMP(3) NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "incidentId" INTEGER,

    CONSTRAINT "ServiceHealth_pkey" PRIMARY KEY ("serviceId")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "reason" TEXT NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedById" INTEGER,
    "ackNote" TEXT,
    "silencedUntil" TIMESTAMP(3),
    "notifiedAt" TIMESTAMP(3),
    "notifyError" TEXT,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertWebhook" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "format" "WebhookFormat" NOT NULL DEFAULT 'GENERIC',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "productLineId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertWebhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlowlogEntry" (
    "id" BIGSERIAL NOT NULL,
    "instanceId" INTEGER NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "slowlogId" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "durationUs" INTEGER NOT NULL,
    "command" TEXT NOT NULL,
    "args" TEXT[],
    "clientAddr" TEXT,
    "clientName" TEXT,

    CONSTRAINT "SlowlogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClientSource" (
    "instanceId" INTEGER NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "clientIp" TEXT NOT NULL,
    "connections" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClientSource_pkey" PRIMARY KEY ("instanceId","clientIp")
);

-- CreateTable
CREATE TABLE "Promotion" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PromotionKind" NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Promotion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MetricSample_serviceId_at_idx" ON "MetricSample"("serviceId", "at");

-- CreateIndex
CREATE INDEX "MetricSample_at_idx" ON "MetricSample"("at");

-- CreateIndex
CREATE INDEX "ServiceMinute_bucket_idx" ON "ServiceMinute"("bucket");

-- CreateIndex
CREATE INDEX "ServiceHour_bucket_idx" ON "ServiceHour"("bucket");

-- CreateIndex
CREATE INDEX "InstanceHealth_serviceId_idx" ON "InstanceHealth"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceHealth_incidentId_key" ON "ServiceHealth"("incidentId");

-- CreateIndex
CREATE INDEX "ServiceHealth_level_idx" ON "ServiceHealth"("level");

-- CreateIndex
CREATE INDEX "ServiceHealth_productLineId_idx" ON "ServiceHealth"("productLineId");

-- CreateIndex
CREATE INDEX "Incident_serviceId_closedAt_idx" ON "Incident"("serviceId", "closedAt");

-- CreateIndex
CREATE INDEX "Incident_closedAt_idx" ON "Incident"("closedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertWebhook_name_key" ON "AlertWebhook"("name");

-- CreateIndex
CREATE INDEX "SlowlogEntry_serviceId_at_idx" ON "SlowlogEntry"("serviceId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "SlowlogEntry_instanceId_slowlogId_at_key" ON "SlowlogEntry"("instanceId", "slowlogId", "at");

-- CreateIndex
CREATE INDEX "ClientSource_serviceId_idx" ON "ClientSource"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "Promotion_name_key" ON "Promotion"("name");

-- CreateIndex
CREATE INDEX "Promotion_startsAt_idx" ON "Promotion"("startsAt");

-- AddForeignKey
ALTER TABLE "HostProbe" ADD CONSTRAINT "HostProbe_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceHealth" ADD CONSTRAINT "InstanceHealth_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceHealth" ADD CONSTRAINT "ServiceHealth_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceHealth" ADD CONSTRAINT "ServiceHealth_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
