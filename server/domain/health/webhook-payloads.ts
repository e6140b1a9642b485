import type { Reason } from "./rules";

export type WebhookFormat = "GENERIC" | "DINGTALK" | "WECOM";

export interface AlertInput {
  incidentId: number;
  openedAt: Date;
  service: { id: number; name: string; productLine: string };
  reason: string;
  reasons: Reason[];
  /** absolute link to the service page */
  link: string;
  /** a test sent from the settings page */
  test?: boolean;
}

/** The absolute link to a service's page. */
export const serviceLink = (publicUrl: string, serviceId: number) => `${publicUrl.replace(/\/+$/, "")}/inventory/services/${serviceId}`;

const lines = (a: AlertInput) => a.reasons.filter((r) => r.level !== "UNKNOWN").slice(0, 10).map((r) => `- [${r.level}] ${r.message}`);
const title = (a: AlertInput) => `${a.test ? "[TEST] " : ""}Hedwig: ${a.service.name} is RED`;

/**
 * The request body of one alert. GENERIC is Hedwig's own JSON; DINGTALK and WECOM are the robots'
 * markdown messages (DingTalk: msgtype/markdown{title,text}; WeCom: msgtype/markdown{content}).
 */
export function webhookBody(format: WebhookFormat, a: AlertInput): unknown {
  switch (format) {
    case "GENERIC":
      return {
        event: a.test ? "test" : "incident.opened",
        incident: { id: a.incidentId, openedAt: a.openedAt.toISOString(), reason: a.reason, reasons: a.reasons },
        service: a.service,
        level: "RED",
        link: a.link,
      };
    case "DINGTALK":
      return {
        msgtype: "markdown",
        markdown: {
          title: title(a),
          text: [`### ${title(a)}`, `**${a.reason}**`, "", `product line: ${a.service.productLine}, incident #${a.incidentId}, opened ${a.openedAt.toISOString()}`, "", ...lines(a), "", `[open in Hedwig](${a.link})`].join("\n"),
        },
      };
    case "WECOM":
      return {
        msgtype: "markdown",
        markdown: {
          content: [`**${title(a)}**`, `> <font color="warning">${a.reason}</font>`, `> product line: ${a.service.productLine}, incident #${a.incidentId}`, ...lines(a), `[open in Hedwig](${a.link})`].join("\n"),
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
