-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "code" TEXT,
ADD COLUMN     "params" JSONB;

-- CreateTable
CREATE TABLE "RestartHold" (
    "instanceId" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "code" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "RestartHold_pkey" PRIMARY KEY ("instanceId")
);

-- CreateTable
CREATE TABLE "LbServerHealth" (
    "serverId" INTEGER NOT NULL,
    "up" BOOLEAN NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "lastUpAt" TIMESTAMP(3),
    "code" TEXT,
    "params" JSONB,

    CONSTRAINT "LbServerHealth_pkey" PRIMARY KEY ("serverId")
);

-- AddForeignKey
ALTER TABLE "RestartHold" ADD CONSTRAINT "RestartHold_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LbServerHealth" ADD CONSTRAINT "LbServerHealth_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "LbServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
