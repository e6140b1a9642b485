import { createCallerFactory, createTRPCRouter } from "./trpc";
import { adminRouter } from "./routers/admin";
import { alertsRouter } from "./routers/alerts";
import { backupsRouter } from "./routers/backups";
import { decommissionRouter } from "./routers/decommission";
import { boardRouter } from "./routers/board";
import { catalogRouter } from "./routers/catalog";
import { healingRouter } from "./routers/healing";
import { hostsRouter } from "./routers/hosts";
import { hostMetricsRouter } from "./routers/host-metrics";
import { inspectionsRouter } from "./routers/inspections";
import { hostHealthRouter } from "./routers/host-health";
import { importRouter } from "./routers/import";
import { incidentsRouter } from "./routers/incidents";
import { jobsRouter } from "./routers/jobs";
import { keysRouter } from "./routers/keys";
import { libraRouter } from "./routers/libra";
import { meRouter } from "./routers/me";
import { metricsRouter } from "./routers/metrics";
import { monitoringRouter } from "./routers/monitoring";
import { operationsRouter } from "./routers/operations";
import { reshardRouter } from "./routers/reshard";
import { productLinesRouter } from "./routers/product-lines";
import { promotionsRouter } from "./routers/promotions";
import { requestsRouter } from "./routers/requests";
import { schedulerRouter } from "./routers/scheduler";
import { servicesRouter } from "./routers/services";
import { credentialsRouter } from "./routers/credentials";
import { dayTwoRouter } from "./routers/daytwo";
import { tokensRouter } from "./routers/tokens";
import { topologyRouter } from "./routers/topology";

export const appRouter = createTRPCRouter({
  me: meRouter,
  hosts: hostsRouter,
  hostMetrics: hostMetricsRouter,
  inspections: inspectionsRouter,
  hostHealth: hostHealthRouter,
  import: importRouter,
  topology: topologyRouter,
  productLines: productLinesRouter,
  scheduler: schedulerRouter,
  requests: requestsRouter,
  services: servicesRouter,
  credentials: credentialsRouter,
  operations: operationsRouter,
  reshard: reshardRouter,
  libra: libraRouter,
  catalog: catalogRouter,
  admin: adminRouter,
  board: boardRouter,
  incidents: incidentsRouter,
  metrics: metricsRouter,
  monitoring: monitoringRouter,
  promotions: promotionsRouter,
  healing: healingRouter,
  jobs: jobsRouter,
  tokens: tokensRouter,
  alerts: alertsRouter,
  dayTwo: dayTwoRouter,
  backups: backupsRouter,
  keys: keysRouter,
  decommission: decommissionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
