export * from "./audit";
export * from "./settings";
export * from "./workers";
export * from "./switches";
export * from "./port-security";
export * from "./panel";
export * from "./inventory";
export * from "./ipam";
