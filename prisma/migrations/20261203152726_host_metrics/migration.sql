-- CreateTable
CREATE TABLE "HostSample" (
    "hostId" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "up" BOOLEAN NOT NULL,
    "cpuPct" DOUBLE PRECISION,
    "load1" DOUBLE PRECISION,
    "load5" DOUBLE PRECISION,
    "load15" DOUBLE PRECISION,
    "memTotalMb" DOUBLE PRECISION,
    "memUsedMb" DOUBLE PRECISION,
    "dataDiskTotalGb" DOUBLE PRECISION,
    "dataDiskFreeGb" DOUBLE PRECISION,
    "logDiskTotalGb" DOUBLE PRECISION,
    "logDiskFreeGb" DOUBLE PRECISION,
    "netInMbps" DOUBLE PRECISION,
    "netOutMbps" DOUBLE PRECISION,
    "error" TEXT,

    CONSTRAINT "HostSample_pkey" PRIMARY KEY ("hostId","at")
);

-- CreateTable
CREATE TABLE "HostHour" (
    "hostId" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuPctAvg" DOUBLE PRECISION,
    "cpuPctMax" DOUBLE PRECISION,
    "load1Max" DOUBLE PRECISION,
    "memUsedMbMax" DOUBLE PRECISION,
    "memTotalMb" DOUBLE PRECISION,
    "dataDiskFreeGbMin" DOUBLE PRECISION,
    "logDiskFreeGbMin" DOUBLE PRECISION,
    "netInMbpsAvg" DOUBLE PRECISION,
    "netInMbpsMax" DOUBLE PRECISION,
    "netOutMbpsAvg" DOUBLE PRECISION,
    "netOutMbpsMax" DOUBLE PRECISION,

    CONSTRAINT "HostHour_pkey" PRIMARY KEY ("hostId","bucket")
);

-- CreateTable
CREATE TABLE "HostMetricState" (
    "hostId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "counters" JSONB NOT NULL DEFAULT '{}',
    "facts" JSONB NOT NULL DEFAULT '{}',
    "dataDiskFreeGb" DOUBLE PRECISION,
    "netMbps" DOUBLE PRECISION,
    "error" TEXT,

    CONSTRAINT "HostMetricState_pkey" PRIMARY KEY ("hostId")
);

-- CreateIndex
CREATE INDEX "HostSample_at_idx" ON "HostSample"("at");

-- CreateIndex
CREATE INDEX "HostHour_bucket_idx" ON "HostHour"("bucket");

-- AddForeignKey
ALTER TABLE "HostMetricState" ADD CONSTRAINT "HostMetricState_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
