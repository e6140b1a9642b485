-- CreateTable
CREATE TABLE "ServiceConfigVersion" (
    "id" SERIAL NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "persistence" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "rollbackOf" INTEGER,
    "jobId" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceConfigVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ServiceConfigVersion_serviceId_number_key" ON "ServiceConfigVersion"("serviceId", "number");

-- AddForeignKey
ALTER TABLE "ServiceConfigVersion" ADD CONSTRAINT "ServiceConfigVersion_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
