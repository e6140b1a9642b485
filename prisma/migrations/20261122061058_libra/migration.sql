-- CreateEnum
CREATE TYPE "LbBackend" AS ENUM ('HAPROXY', 'LVS');

-- CreateEnum
CREATE TYPE "LbProtocol" AS ENUM ('TCP', 'UDP');

-- CreateEnum
CREATE TYPE "LbCheckKind" AS ENUM ('TCP', 'HTTP', 'SSL', 'SCRIPT');

-- CreateEnum
CREATE TYPE "LbMemberState" AS ENUM ('ENABLED', 'DRAINING', 'DISABLED');

-- CreateEnum
CREATE TYPE "LbVersionReason" AS ENUM ('SYNC', 'APPLY', 'ROLLBACK');

-- CreateEnum
CREATE TYPE "LbRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'NOTHING_TO_DO');

-- CreateTable
CREATE TABLE "LbPool" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "backend" "LbBackend" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "configPath" TEXT NOT NULL,
    "statsPort" INTEGER,
    "forDelivery" BOOLEAN NOT NULL DEFAULT false,
    "vipRange" TEXT,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LbPool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbServer" (
    "id" SERIAL NOT NULL,
    "poolId" INTEGER NOT NULL,
    "ip" TEXT NOT NULL,
    "executor" "ExecutorKind" NOT NULL DEFAULT 'LOCAL',

    CONSTRAINT "LbServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbHealthCheck" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "LbCheckKind" NOT NULL,
    "httpPath" TEXT,
    "expectStatus" INTEGER,
    "script" TEXT,
    "intervalSeconds" INTEGER NOT NULL DEFAULT 3,
    "timeoutSeconds" INTEGER NOT NULL DEFAULT 2,
    "retries" INTEGER NOT NULL DEFAULT 3,

    CONSTRAINT "LbHealthCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbBalanceConfig" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "lvsKind" TEXT,
    "persistenceSeconds" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LbBalanceConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbApplication" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "poolId" INTEGER NOT NULL,
    "serviceId" INTEGER,
    "healthCheckId" INTEGER NOT NULL,
    "balanceConfigId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LbApplication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbVip" (
    "id" SERIAL NOT NULL,
    "applicationId" INTEGER NOT NULL,
    "ip" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "protocol" "LbProtocol" NOT NULL DEFAULT 'TCP',

    CONSTRAINT "LbVip_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbMember" (
    "id" SERIAL NOT NULL,
    "applicationId" INTEGER NOT NULL,
    "ip" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 10,
    "state" "LbMemberState" NOT NULL DEFAULT 'ENABLED',

    CONSTRAINT "LbMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbChange" (
    "id" SERIAL NOT NULL,
    "poolId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorName" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "emergency" BOOLEAN NOT NULL DEFAULT false,
    "restoredFrom" INTEGER,
    "versionId" INTEGER,

    CONSTRAINT "LbChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbVersion" (
    "id" SERIAL NOT NULL,
    "poolId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "reason" "LbVersionReason" NOT NULL,
    "restoredFrom" INTEGER,
    "config" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "model" JSONB NOT NULL,
    "actorName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LbVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LbSyncRun" (
    "id" SERIAL NOT NULL,
    "poolId" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" "LbRunStatus" NOT NULL DEFAULT 'RUNNING',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "versionId" INTEGER,
    "log" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,

    CONSTRAINT "LbSyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LbPool_name_key" ON "LbPool"("name");

-- CreateIndex
CREATE UNIQUE INDEX "LbServer_poolId_ip_key" ON "LbServer"("poolId", "ip");

-- CreateIndex
CREATE UNIQUE INDEX "LbHealthCheck_name_key" ON "LbHealthCheck"("name");

-- CreateIndex
CREATE UNIQUE INDEX "LbBalanceConfig_name_key" ON "LbBalanceConfig"("name");

-- CreateIndex
CREATE UNIQUE INDEX "LbApplication_name_key" ON "LbApplication"("name");

-- CreateIndex
CREATE INDEX "LbApplication_poolId_idx" ON "LbApplication"("poolId");

-- CreateIndex
CREATE INDEX "LbApplication_serviceId_idx" ON "LbApplication"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "LbVip_applicationId_key" ON "LbVip"("applicationId");

-- CreateIndex
CREATE UNIQUE INDEX "LbVip_ip_port_protocol_key" ON "LbVip"("ip", "port", "protocol");

-- CreateIndex
CREATE UNIQUE INDEX "LbMember_applicationId_ip_port_key" ON "LbMember"("applicationId", "ip", "port");

-- CreateIndex
CREATE INDEX "LbChange_poolId_versionId_idx" ON "LbChange"("poolId", "versionId");

-- CreateIndex
CREATE UNIQUE INDEX "LbVersion_poolId_number_key" ON "LbVersion"("poolId", "number");

-- CreateIndex
CREATE INDEX "LbSyncRun_poolId_startedAt_idx" ON "LbSyncRun"("poolId", "startedAt");

-- AddForeignKey
ALTER TABLE "LbServer" ADD CONSTRAINT "LbServer_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "LbPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbApplication" ADD CONSTRAINT "LbApplication_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "LbPool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbApplication" ADD CONSTRAINT "LbApplication_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbApplication" ADD CONSTRAINT "LbApplication_healthCheckId_fkey" FOREIGN KEY ("healthCheckId") REFERENCES "LbHealthCheck"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbApplication" ADD CONSTRAINT "LbApplication_balanceConfigId_fkey" FOREIGN KEY ("balanceConfigId") REFERENCES "LbBalanceConfig"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbVip" ADD CONSTRAINT "LbVip_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "LbApplication"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbMember" ADD CONSTRAINT "LbMember_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "LbApplication"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbChange" ADD CONSTRAINT "LbChange_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "LbPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbChange" ADD CONSTRAINT "LbChange_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "LbVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbVersion" ADD CONSTRAINT "LbVersion_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "LbPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbSyncRun" ADD CONSTRAINT "LbSyncRun_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "LbPool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbSyncRun" ADD CONSTRAINT "LbSyncRun_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "LbVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
