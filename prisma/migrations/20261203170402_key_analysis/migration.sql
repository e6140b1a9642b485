-- CreateTable
CREATE TABLE "KeyAnalysis" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "jobId" TEXT,
    "keysPerSecond" INTEGER NOT NULL,
    "top" INTEGER NOT NULL,
    "shards" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sampledAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "KeyAnalysis_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KeyAnalysis_jobId_key" ON "KeyAnalysis"("jobId");

-- CreateIndex
CREATE INDEX "KeyAnalysis_serviceId_createdAt_idx" ON "KeyAnalysis"("serviceId", "createdAt");

-- AddForeignKey
ALTER TABLE "KeyAnalysis" ADD CONSTRAINT "KeyAnalysis_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
