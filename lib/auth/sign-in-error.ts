const THROTTLED = "throttled:";

/** The error a throttled password sign-in carries to the form (next-auth passes only a string). */
export function throttledSignInError(retryAfterSeconds: number): string {
  return `${THROTTLED}${retryAfterSeconds}`;
}

/**
 * What the sign-in form says for next-auth's error string. Only errors the console made itself are
 * worded; anything else reads as a wrong email or password, so no internal message reaches the page.
 */
export function signInErrorMessage(error: string): string {
  if (error.startsWith(THROTTLED)) {
    const minutes = Math.max(1, Math.ceil(Number(error.slice(THROTTLED.length)) / 60));
    return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  return "The email or password is not right.";
}
