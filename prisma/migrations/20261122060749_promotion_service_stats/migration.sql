-- CreateTable
CREATE TABLE "PromotionServiceStat" (
    "promotionId" INTEGER NOT NULL,
    "serviceId" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,
    "qpsPeak" DOUBLE PRECISION,
    "memPeakMb" DOUBLE PRECISION,
    "clientsPeak" INTEGER,
    "maxmemoryMb" DOUBLE PRECISION,
    "baseDays" INTEGER NOT NULL,
    "baseQps" DOUBLE PRECISION,
    "baseMemMb" DOUBLE PRECISION,
    "baseClients" DOUBLE PRECISION,
    "baselineDays" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PromotionServiceStat_pkey" PRIMARY KEY ("promotionId","serviceId")
);

-- AddForeignKey
ALTER TABLE "PromotionServiceStat" ADD CONSTRAINT "PromotionServiceStat_promotionId_fkey" FOREIGN KEY ("promotionId") REFERENCES "Promotion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
