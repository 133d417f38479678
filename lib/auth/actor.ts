/** Who starts or controls a run: the user's id, and the name the run records for them. */
export type Actor = { userId: string; name: string };
