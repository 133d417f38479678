// The original health URL, which `npm start` and Playwright wait on: the readiness check.
export { GET } from "./ready/route";

export const dynamic = "force-dynamic";
