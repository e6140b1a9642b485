-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'DBA', 'NOC', 'BUSINESS');

-- CreateEnum
CREATE TYPE "HostStatus" AS ENUM ('ONLINE', 'MAINTENANCE', 'OFFLINE', 'LOCKED');

-- CreateEnum
CREATE TYPE "UsageTier" AS ENUM ('DEDICATED', 'MIXED_DEPARTMENT', 'MIXED');

-- CreateEnum
CREATE TYPE "ExecutorKind" AS ENUM ('LOCAL', 'SSH');

-- CreateEnum
CREATE TYPE "Software" AS ENUM ('REDIS', 'REDIS_SENTINEL', 'MEMCACHED', 'TWEMPROXY');

-- CreateEnum
CREATE TYPE "ServiceKind" AS ENUM ('REDIS_STANDALONE', 'REDIS_SENTINEL', 'REDIS_TWEMPROXY', 'MEMCACHED', 'MEMCACHED_TWEMPROXY');

-- CreateEnum
CREATE TYPE "ServiceStatus" AS ENUM ('PROVISIONING', 'ONLINE', 'OFFLINE', 'DECOMMISSIONED');

-- CreateEnum
CREATE TYPE "InstanceRole" AS ENUM ('MASTER', 'REPLICA', 'SENTINEL', 'PROXY', 'CACHE');

-- CreateEnum
CREATE TYPE "InstanceState" AS ENUM ('RUNNING', 'STOPPED', 'DEPLOYING', 'FAILED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "AllocationStatus" AS ENUM ('LOCKED', 'COMMITTED', 'RELEASED', 'EXPIRED');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "email" TEXT,
    "passwordHash" TEXT,
    "role" "Role" NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Department" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductLine" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "importance" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductLineMember" (
    "userId" INTEGER NOT NULL,
    "productLineId" INTEGER NOT NULL,

    CONSTRAINT "ProductLineMember_pkey" PRIMARY KEY ("userId","productLineId")
);

-- CreateTable
CREATE TABLE "Idc" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Idc_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rack" (
    "id" SERIAL NOT NULL,
    "idcId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Rack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "id" SERIAL NOT NULL,
    "ip" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "rackId" INTEGER NOT NULL,
    "cpuCores" INTEGER NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "diskGb" INTEGER NOT NULL,
    "bandwidthMbps" INTEGER NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "status" "HostStatus" NOT NULL DEFAULT 'ONLINE',
    "tier" "UsageTier" NOT NULL DEFAULT 'MIXED',
    "departmentId" INTEGER,
    "facts" JSONB NOT NULL DEFAULT '{}',
    "executor" "ExecutorKind" NOT NULL DEFAULT 'LOCAL',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SoftwareVersion" (
    "id" SERIAL NOT NULL,
    "software" "Software" NOT NULL,
    "version" TEXT NOT NULL,
    "installPath" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SoftwareVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Spec" (
    "id" SERIAL NOT NULL,
    "software" "Software" NOT NULL,
    "name" TEXT NOT NULL,
    "cpuCores" DOUBLE PRECISION NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "diskGb" INTEGER NOT NULL,
    "bandwidthMbps" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Spec_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortRange" (
    "software" "Software" NOT NULL,
    "startPort" INTEGER NOT NULL,
    "endPort" INTEGER NOT NULL,
    "nextPort" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PortRange_pkey" PRIMARY KEY ("software")
);

-- CreateTable
CREATE TABLE "PortClaim" (
    "hostId" INTEGER NOT NULL,
    "port" INTEGER NOT NULL,
    "software" "Software" NOT NULL,
    "instanceId" INTEGER,
    "allocationItemId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortClaim_pkey" PRIMARY KEY ("hostId","port")
);

-- CreateTable
CREATE TABLE "Service" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "productLineId" INTEGER NOT NULL,
    "kind" "ServiceKind" NOT NULL,
    "status" "ServiceStatus" NOT NULL DEFAULT 'ONLINE',
    "description" TEXT NOT NULL DEFAULT '',
    "entryHost" TEXT,
    "entryPort" INTEGER,
    "adopted" BOOLEAN NOT NULL DEFAULT false,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Instance" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "hostId" INTEGER NOT NULL,
    "port" INTEGER NOT NULL,
    "software" "Software" NOT NULL,
    "role" "InstanceRole" NOT NULL,
    "shardIndex" INTEGER,
    "version" TEXT NOT NULL,
    "maxmemoryMb" INTEGER,
    "state" "InstanceState" NOT NULL DEFAULT 'RUNNING',
    "masterId" INTEGER,
    "cpuCores" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "memoryMb" INTEGER NOT NULL DEFAULT 0,
    "diskGb" INTEGER NOT NULL DEFAULT 0,
    "bandwidthMbps" INTEGER NOT NULL DEFAULT 0,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Allocation" (
    "id" TEXT NOT NULL,
    "status" "AllocationStatus" NOT NULL DEFAULT 'LOCKED',
    "purpose" TEXT NOT NULL,
    "software" "Software" NOT NULL,
    "holderId" INTEGER,
    "ownerRef" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "committedAt" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),

    CONSTRAINT "Allocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AllocationItem" (
    "id" SERIAL NOT NULL,
    "allocationId" TEXT NOT NULL,
    "hostId" INTEGER NOT NULL,
    "port" INTEGER NOT NULL,
    "shardIndex" INTEGER NOT NULL,
    "replicaIndex" INTEGER NOT NULL,
    "role" "InstanceRole" NOT NULL,
    "cpuCores" DOUBLE PRECISION NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "diskGb" INTEGER NOT NULL,
    "bandwidthMbps" INTEGER NOT NULL,

    CONSTRAINT "AllocationItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "summary" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Department_code_key" ON "Department"("code");

-- CreateIndex
CREATE UNIQUE INDEX "ProductLine_code_key" ON "ProductLine"("code");

-- CreateIndex
CREATE INDEX "ProductLine_departmentId_idx" ON "ProductLine"("departmentId");

-- CreateIndex
CREATE INDEX "ProductLineMember_productLineId_idx" ON "ProductLineMember"("productLineId");

-- CreateIndex
CREATE UNIQUE INDEX "Idc_code_key" ON "Idc"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Rack_idcId_code_key" ON "Rack"("idcId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Host_ip_key" ON "Host"("ip");

-- CreateIndex
CREATE INDEX "Host_rackId_idx" ON "Host"("rackId");

-- CreateIndex
CREATE INDEX "Host_status_idx" ON "Host"("status");

-- CreateIndex
CREATE INDEX "Host_labels_idx" ON "Host" USING GIN ("labels" jsonb_path_ops);

-- CreateIndex
CREATE UNIQUE INDEX "SoftwareVersion_software_version_key" ON "SoftwareVersion"("software", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Spec_software_name_key" ON "Spec"("software", "name");

-- CreateIndex
CREATE UNIQUE INDEX "PortClaim_instanceId_key" ON "PortClaim"("instanceId");

-- CreateIndex
CREATE UNIQUE INDEX "PortClaim_allocationItemId_key" ON "PortClaim"("allocationItemId");

-- CreateIndex
CREATE UNIQUE INDEX "Service_name_key" ON "Service"("name");

-- CreateIndex
CREATE INDEX "Service_productLineId_idx" ON "Service"("productLineId");

-- CreateIndex
CREATE INDEX "Instance_serviceId_idx" ON "Instance"("serviceId");

-- CreateIndex
CREATE INDEX "Instance_masterId_idx" ON "Instance"("masterId");

-- CreateIndex
CREATE UNIQUE INDEX "Instance_hostId_port_key" ON "Instance"("hostId", "port");

-- CreateIndex
CREATE INDEX "Allocation_status_expiresAt_idx" ON "Allocation"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "Allocation_ownerRef_idx" ON "Allocation"("ownerRef");

-- CreateIndex
CREATE INDEX "AllocationItem_allocationId_idx" ON "AllocationItem"("allocationId");

-- CreateIndex
CREATE INDEX "AllocationItem_hostId_idx" ON "AllocationItem"("hostId");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_entityType_entityId_idx" ON "AuditEntry"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_idx" ON "AuditEntry"("actorId");

-- CreateIndex
CREATE INDEX "AuditEntry_action_idx" ON "AuditEntry"("action");

-- AddForeignKey
ALTER TABLE "ProductLine" ADD CONSTRAINT "ProductLine_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductLineMember" ADD CONSTRAINT "ProductLineMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductLineMember" ADD CONSTRAINT "ProductLineMember_productLineId_fkey" FOREIGN KEY ("productLineId") REFERENCES "ProductLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rack" ADD CONSTRAINT "Rack_idcId_fkey" FOREIGN KEY ("idcId") REFERENCES "Idc"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_rackId_fkey" FOREIGN KEY ("rackId") REFERENCES "Rack"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortClaim" ADD CONSTRAINT "PortClaim_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortClaim" ADD CONSTRAINT "PortClaim_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortClaim" ADD CONSTRAINT "PortClaim_allocationItemId_fkey" FOREIGN KEY ("allocationItemId") REFERENCES "AllocationItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Service" ADD CONSTRAINT "Service_productLineId_fkey" FOREIGN KEY ("productLineId") REFERENCES "ProductLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Instance" ADD CONSTRAINT "Instance_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Instance" ADD CONSTRAINT "Instance_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Instance" ADD CONSTRAINT "Instance_masterId_fkey" FOREIGN KEY ("masterId") REFERENCES "Instance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationItem" ADD CONSTRAINT "AllocationItem_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationItem" ADD CONSTRAINT "AllocationItem_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
