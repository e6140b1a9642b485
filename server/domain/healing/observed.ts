/**
 * What pages read beside an instance's desired state (its row: state, maintenanceUntil) to show the
 * observed one: the collector's InstanceHealth (up, or down since …) and the reconciler's hold.
 */
export const observedInclude = {
  health: { select: { downSince: true, lastUpAt: true, checkedAt: true } },
  restartHold: { select: { since: true, code: true, params: true } },
} as const;
