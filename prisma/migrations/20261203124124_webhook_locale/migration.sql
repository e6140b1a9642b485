-- AlterTable
ALTER TABLE "AlertWebhook" ADD COLUMN     "locale" TEXT;
