import { z } from "zod";

/**
 * An Intune object's id as Graph gives it. Most are GUIDs, but not all: a device enrollment
 * configuration's id is `<guid>_<kind>` (e.g. `…_DefaultWindows10EnrollmentCompletionPageConfiguration`)
 * and a managed app protection's is `T_<guid>`. The shape is bounded to what those use, so an id taken
 * from a URL or a form still cannot carry a path segment, a query or whitespace into a Graph URL.
 */
export const intuneObjectId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/, "Not an Intune object id");

export const isIntuneObjectId = (value: string) => intuneObjectId.safeParse(value).success;
