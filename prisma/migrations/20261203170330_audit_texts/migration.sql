-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "text" JSONB;
