import { requireUser } from "@/lib/auth/session";
import { floorAction } from "@/lib/internal/floor-actions";

/**
 * BENCH=http's floor (bench/http.ts): the least a dynamic console page does — the session checked
 * as every page checks it, one line rendered. Not linked from the console; outside its layout on
 * purpose (no navigation, no bell). The form holds the floor action so the build gives it an id.
 */
export default async function FloorPage() {
  const user = await requireUser();
  return (
    <form action={floorAction}>
      <p>Signed in as {user.name}.</p>
    </form>
  );
}
