-- AlterTable
ALTER TABLE "Allocation" ADD COLUMN     "productLineId" INTEGER,
ADD COLUMN     "serviceId" INTEGER;

-- CreateTable
CREATE TABLE "FleetVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "FleetVersion_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_productLineId_fkey" FOREIGN KEY ("productLineId") REFERENCES "ProductLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- Not expressible in schema.prisma: the triggers that keep FleetVersion moving. A row (not a
-- sequence) so that readers see the new version only once the change is committed; updates fire only
-- for the columns the scheduler reads, so frequent state updates do not queue on this row.
INSERT INTO "FleetVersion" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "hedwig_bump_fleet_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "FleetVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER "Host_fleet_version" AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "ip", "rackId", "cpuCores", "memoryMb", "diskGb", "bandwidthMbps", "labels", "status", "tier", "departmentId"
  ON "Host" FOR EACH STATEMENT EXECUTE FUNCTION "hedwig_bump_fleet_version"();
CREATE TRIGGER "Rack_fleet_version" AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "idcId"
  ON "Rack" FOR EACH STATEMENT EXECUTE FUNCTION "hedwig_bump_fleet_version"();
CREATE TRIGGER "Instance_fleet_version" AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "hostId", "serviceId", "port", "cpuCores", "memoryMb", "diskGb", "bandwidthMbps"
  ON "Instance" FOR EACH STATEMENT EXECUTE FUNCTION "hedwig_bump_fleet_version"();
CREATE TRIGGER "Service_fleet_version" AFTER UPDATE OF "productLineId"
  ON "Service" FOR EACH STATEMENT EXECUTE FUNCTION "hedwig_bump_fleet_version"();
CREATE TRIGGER "Allocation_fleet_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON "Allocation" FOR EACH STATEMENT EXECUTE FUNCTION "hedwig_bump_fleet_version"();
CREATE TRIGGER "AllocationItem_fleet_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON "AllocationItem" FOR EACH STATEMENT EXECUTE FUNCTION "hedwig_bump_fleet_version"();
CREATE TRIGGER "PortClaim_fleet_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON "PortClaim" FOR EACH STATEMENT EXECUTE FUNCTION "hedwig_bump_fleet_version"();
