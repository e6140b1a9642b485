-- CreateTable
CREATE TABLE "HostCrash" (
    "id" SERIAL NOT NULL,
    "hostId" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "idcId" INTEGER NOT NULL,
    "rackId" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "kernel" TEXT NOT NULL,
    "os" TEXT NOT NULL,
    "services" JSONB NOT NULL DEFAULT '[]',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "HostCrash_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostHealthDay" (
    "day" DATE NOT NULL,
    "idcId" INTEGER NOT NULL,
    "ticks" INTEGER NOT NULL,
    "hostSum" INTEGER NOT NULL,
    "onlineSum" INTEGER NOT NULL,
    "schedulableSum" INTEGER NOT NULL,
    "isDemo" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "HostHealthDay_pkey" PRIMARY KEY ("day","idcId")
);

-- CreateIndex
CREATE INDEX "HostCrash_startedAt_idx" ON "HostCrash"("startedAt");

-- CreateIndex
CREATE INDEX "HostCrash_hostId_endedAt_idx" ON "HostCrash"("hostId", "endedAt");

-- AddForeignKey
ALTER TABLE "HostCrash" ADD CONSTRAINT "HostCrash_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
