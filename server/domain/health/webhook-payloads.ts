import type { InstanceLevel, Params } from "./rules";

export type WebhookFormat = "GENERIC" | "DINGTALK" | "WECOM";

/** One event of an incident as a webhook tells it: texts already rendered in the alert language. */
export interface AlertInput {
  event: "opened" | "escalated" | "resolved";
  incidentId: number;
  openedAt: Date;
  closedAt: Date | null;
  /** a host incident's address */
  host: string | null;
  services: { id: number; name: string; productLine: string }[];
  title: string;
  text: string;
  /** "incident #12" in the alert language */
  ref: string;
  reasons: { code: string; level: Exclude<InstanceLevel, "GREEN">; params: Params; text: string }[];
  /** absolute link to the incident's page */
  link: string;
  /** a test sent from the settings page */
  test?: boolean;
  /** the GENERIC event's name when it is not an incident's (a failed backup opens none) */
  kind?: string;
}

/** The absolute link to an incident's page. */
export const incidentLink = (publicUrl: string, incidentId: number) => `${publicUrl.replace(/\/+$/, "")}/incidents/${incidentId}`;

const lines = (a: AlertInput) => a.reasons.map((r) => `- [${r.level}] ${r.text}`);
const title = (a: AlertInput) => `${a.test ? "[TEST] " : ""}Hedwig: ${a.title}`;

/**
 * The request body of one alert. GENERIC is Hedwig's own JSON (codes and parameters beside the
 * texts); DINGTALK and WECOM are the robots' markdown messages (DingTalk: msgtype/markdown{title,text};
 * WeCom: msgtype/markdown{content}).
 */
export function webhookBody(format: WebhookFormat, a: AlertInput): unknown {
  switch (format) {
    case "GENERIC":
      return {
        event: a.test ? "test" : (a.kind ?? `incident.${a.event}`),
        incident: {
          id: a.incidentId,
          openedAt: a.openedAt.toISOString(),
          closedAt: a.closedAt?.toISOString() ?? null,
          host: a.host,
          title: a.title,
          text: a.text,
          reasons: a.reasons,
        },
        services: a.services,
        level: a.event === "resolved" ? "GREEN" : "RED",
        link: a.link,
      };
    case "DINGTALK":
      return {
        msgtype: "markdown",
        markdown: {
          title: title(a),
          text: [
            `### ${title(a)}`,
            `**${a.text}**`,
            "",
            `${a.services.map((s) => `${s.name} (${s.productLine})`).join(", ")} · ${a.ref}`,
            "",
            ...lines(a),
            "",
            `[Hedwig](${a.link})`,
          ].join("\n"),
        },
      };
    case "WECOM":
      return {
        msgtype: "markdown",
        markdown: {
          content: [
            `**${title(a)}**`,
            `> <font color="${a.event === "resolved" ? "info" : "warning"}">${a.text}</font>`,
            `> ${a.services.map((s) => `${s.name} (${s.productLine})`).join(", ")} · ${a.ref}`,
            ...lines(a),
            `[Hedwig](${a.link})`,
          ].join("\n"),
        },
      };
  }
}

/**
 * Whether a robot's answer means delivered: DingTalk and WeCom answer HTTP 200 with errcode ≠ 0
 * on a refusal (bad token, keyword filter), which must count as a failure.
 */
export function deliveryError(format: WebhookFormat, status: number, body: string): string | null {
  if (status < 200 || status >= 300) return `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`;
  if (format === "GENERIC") return null;
  try {
    const j = JSON.parse(body) as { errcode?: number; errmsg?: string };
    return j.errcode && j.errcode !== 0 ? `robot refused: errcode ${j.errcode} ${j.errmsg ?? ""}`.trim() : null;
  } catch {
    return null;
  }
}
