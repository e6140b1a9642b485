import { InspectionSeverity } from "../../../generated/prisma/enums";

/** Worst first, as the report lists them. */
export const INSPECTION_SEVERITIES = Object.values(InspectionSeverity) as [InspectionSeverity, ...InspectionSeverity[]];
