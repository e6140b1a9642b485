-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "errorText" JSONB;

-- AlterTable
ALTER TABLE "JobStep" ADD COLUMN     "errorText" JSONB,
ADD COLUMN     "text" JSONB;

-- AlterTable
ALTER TABLE "JobLog" ADD COLUMN     "text" JSONB;
