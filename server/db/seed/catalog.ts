import type { Role } from "../../../generated/prisma/client";

// The fixed names of the demo company: who works there, what it sells, where its machines stand.

export type DemoUser = {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  /** product lines a BUSINESS user belongs to */
  productLines: readonly string[];
  /** what this account sees, for the README and the e2e specs */
  sees: string;
};

export const DEMO_USERS = [
  {
    username: "dba",
    password: "dba-demo",
    role: "DBA",
    displayName: "Demo DBA",
    productLines: [],
    sees: "everything: approves requests, inventory, instance operations, load balancing, promotions",
  },
  {
    username: "noc",
    password: "noc-demo",
    role: "NOC",
    displayName: "Demo NOC",
    productLines: [],
    sees: "the whole fleet read-only: NOC board, alerts (acknowledge/silence), figures",
  },
  {
    username: "biz",
    password: "biz-demo",
    role: "BUSINESS",
    displayName: "Demo developer (Trade)",
    productLines: ["trade-cart", "trade-order", "trade-refund"],
    sees: "only the 交易 Trade product lines trade-cart (4★), trade-order (5★), trade-refund (3★)",
  },
  {
    username: "biz2",
    password: "biz-demo",
    role: "BUSINESS",
    displayName: "Demo developer (User)",
    productLines: ["user-profile", "user-favorite"],
    sees: "only the 用户 User product lines user-profile (3★), user-favorite (2★)",
  },
] as const satisfies readonly DemoUser[];

/** Created on an empty installation, demo or not. */
export const BOOTSTRAP_ADMIN = {
  username: "admin",
  passwordEnv: "HEDWIG_ADMIN_PASSWORD",
  defaultPassword: "hedwig-admin",
} as const;

export const DEPARTMENTS = [
  { code: "trade", name: "交易 Trade" },
  { code: "user", name: "用户 User" },
  { code: "goods", name: "商品 Goods" },
  { code: "marketing", name: "营销 Marketing" },
  { code: "logistics", name: "物流 Logistics" },
  { code: "data", name: "数据 Data" },
] as const;

export type DepartmentCode = (typeof DEPARTMENTS)[number]["code"];

export type ProductLineDef = { code: string; name: string; department: DepartmentCode; importance: number };

const pl = (department: DepartmentCode, code: string, name: string, importance: number): ProductLineDef => ({
  code: `${department}-${code}`,
  name,
  department,
  importance,
});

// Few 5★ (the money path), a handful of 4★, most 2–3★, a tail of 1★.
export const PRODUCT_LINES: readonly ProductLineDef[] = [
  pl("trade", "order", "订单 Order", 5),
  pl("trade", "pay", "支付 Payment", 5),
  pl("trade", "cart", "购物车 Cart", 4),
  pl("trade", "checkout", "结算 Checkout", 4),
  pl("trade", "refund", "退款 Refund", 3),
  pl("trade", "aftersale", "售后 After-sales", 3),
  pl("trade", "invoice", "发票 Invoice", 2),
  pl("user", "passport", "登录 Passport", 5),
  pl("user", "session", "会话 Session", 4),
  pl("user", "profile", "用户资料 Profile", 3),
  pl("user", "address", "收货地址 Address", 3),
  pl("user", "member", "会员 Membership", 3),
  pl("user", "favorite", "收藏 Favorites", 2),
  pl("user", "message", "站内信 Messages", 1),
  pl("goods", "detail", "商品详情 Item detail", 4),
  pl("goods", "inventory", "库存 Stock", 4),
  pl("goods", "price", "价格 Price", 3),
  pl("goods", "search", "搜索 Search", 3),
  pl("goods", "category", "类目 Category", 2),
  pl("goods", "review", "评价 Reviews", 2),
  pl("goods", "brand", "品牌 Brand", 1),
  pl("marketing", "flashsale", "秒杀 Flash sale", 4),
  pl("marketing", "coupon", "优惠券 Coupons", 3),
  pl("marketing", "promotion", "促销 Promotions", 3),
  pl("marketing", "recommend", "推荐 Recommendation", 2),
  pl("marketing", "ad", "广告 Ads", 2),
  pl("marketing", "push", "推送 Push", 2),
  pl("marketing", "lottery", "抽奖 Lottery", 1),
  pl("logistics", "tracking", "物流跟踪 Tracking", 3),
  pl("logistics", "warehouse", "仓储 Warehouse", 3),
  pl("logistics", "delivery", "配送 Delivery", 3),
  pl("logistics", "freight", "运费 Freight", 2),
  pl("logistics", "waybill", "面单 Waybill", 2),
  pl("logistics", "station", "自提点 Pickup stations", 1),
  pl("data", "risk", "风控 Risk control", 4),
  pl("data", "realtime", "实时大屏 Realtime dashboard", 3),
  pl("data", "report", "报表 Reports", 2),
  pl("data", "abtest", "AB 实验 A/B testing", 2),
  pl("data", "feature", "特征库 Feature store", 2),
  pl("data", "log", "日志缓存 Log cache", 1),
];

export const IDCS = [
  { code: "sh-pd", name: "上海浦东 Shanghai Pudong", region: "cn-sh" },
  { code: "bj-yz", name: "北京亦庄 Beijing Yizhuang", region: "cn-bj" },
  { code: "gz-hp", name: "广州黄埔 Guangzhou Huangpu", region: "cn-gz" },
] as const;

export const DEMO_RACKS_PER_IDC = 8;

export const rackCode = (n: number) => `r${String(n).padStart(2, "0")}`;

export type HostModel = {
  name: "ebmc6" | "ebmc7" | "r5";
  cpuCores: number;
  memoryMb: number;
  diskGb: number;
  bandwidthMbps: number;
  disk: "ssd" | "hdd";
  facts: { os: string; kernel: string; cpuModel: string };
};

const DEBIAN = { os: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-18-amd64" };

export const HOST_MODELS: Record<HostModel["name"], HostModel> = {
  ebmc6: {
    name: "ebmc6",
    cpuCores: 32,
    memoryMb: 128 * 1024,
    diskGb: 1920,
    bandwidthMbps: 10_000,
    disk: "ssd",
    facts: { ...DEBIAN, cpuModel: "Intel(R) Xeon(R) Platinum 8269CY CPU @ 2.50GHz" },
  },
  ebmc7: {
    name: "ebmc7",
    cpuCores: 64,
    memoryMb: 256 * 1024,
    diskGb: 3840,
    bandwidthMbps: 25_000,
    disk: "ssd",
    facts: { ...DEBIAN, cpuModel: "Intel(R) Xeon(R) Platinum 8369B CPU @ 2.70GHz" },
  },
  // the older generation, still on CentOS and spinning disks
  r5: {
    name: "r5",
    cpuCores: 24,
    memoryMb: 96 * 1024,
    diskGb: 4000,
    bandwidthMbps: 10_000,
    disk: "hdd",
    facts: { os: "CentOS Linux 7.9.2009", kernel: "3.10.0-1160.el7.x86_64", cpuModel: "Intel(R) Xeon(R) Platinum 8163 CPU @ 2.50GHz" },
  },
};

// Racks are bought in batches, so every host of a rack is the same model.
const RACK_MODEL_PATTERN = ["ebmc6", "ebmc7", "ebmc6", "r5", "ebmc6", "ebmc7", "r5", "ebmc6", "ebmc7", "ebmc6"] as const;

export const rackModel = (idcIndex: number, rackNumber: number): HostModel =>
  HOST_MODELS[RACK_MODEL_PATTERN[(idcIndex * 3 + rackNumber) % RACK_MODEL_PATTERN.length]!];
