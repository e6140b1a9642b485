-- CreateTable
CREATE TABLE "ApiRateWindow" (
    "caller" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ApiRateWindow_pkey" PRIMARY KEY ("caller","windowStart")
);

-- CreateIndex
CREATE INDEX "ApiRateWindow_windowStart_idx" ON "ApiRateWindow"("windowStart");

-- A minute's counts are worth nothing after a crash: unlogged, so a call's count writes no WAL and its commit waits for no flush.
ALTER TABLE "ApiRateWindow" SET UNLOGGED;
