/**
 * The message Intune's services put inside Graph's error envelope: itself a JSON document, as in the
 * answers quoted in jseerden/IntuneBackupAndRestore#39 ("SecretReferenceValueId invalid for create.")
 * and almenscorner/IntuneCD#218.
 */
export function intuneMessage(text: string, { activityId, url }: { activityId: string; url: string }) {
  return JSON.stringify(
    {
      _version: 3,
      Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${activityId} - Url: ${url}`,
      CustomApiErrorPhrase: "",
      RetryAfter: null,
      ErrorSourceService: "",
      HttpHeaders: "{}",
    },
    null,
    2,
  ).replace(/\n/g, "\r\n");
}
