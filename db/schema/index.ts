export * from "./enums";
export * from "./users";
export * from "./tenants";
export * from "./operation-runs";
export * from "./notifications";
export * from "./directory";
export * from "./inventory";
export * from "./backups";
