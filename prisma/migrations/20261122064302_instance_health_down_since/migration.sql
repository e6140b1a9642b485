-- AlterTable
ALTER TABLE "InstanceHealth" ADD COLUMN     "downSince" TIMESTAMP(3);
