import { createCallerFactory, createTRPCRouter } from "./trpc";
import { adminRouter } from "./routers/admin";
import { alertsRouter } from "./routers/alerts";
import { boardRouter } from "./routers/board";
import { catalogRouter } from "./routers/catalog";
import { healingRouter } from "./routers/healing";
import { hostsRouter } from "./routers/hosts";
import { importRouter } from "./routers/import";
import { incidentsRouter } from "./routers/incidents";
import { jobsRouter } from "./routers/jobs";
import { libraRouter } from "./routers/libra";
import { meRouter } from "./routers/me";
import { metricsRouter } from "./routers/metrics";
import { monitoringRouter } from "./routers/monitoring";
import { operationsRouter } from "./routers/operations";
import { productLinesRouter } from "./routers/product-lines";
import { promotionsRouter } from "./routers/promotions";
import { requestsRouter } from "./routers/requests";
import { schedulerRouter } from "./routers/scheduler";
import { servicesRouter } from "./routers/services";
import { credentialsRouter } from "./routers/credentials";
import { tokensRouter } from "./routers/tokens";
import { topologyRouter } from "./routers/topology";

export const appRouter = createTRPCRouter({
  me: meRouter,
  hosts: hostsRouter,
  import: importRouter,
  topology: topologyRouter,
  productLines: productLinesRouter,
  scheduler: schedulerRouter,
  requests: requestsRouter,
  services: servicesRouter,
  credentials: credentialsRouter,
  operations: operationsRouter,
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
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
