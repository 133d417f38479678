import { open, seal } from "@/lib/crypto/secret-box";

// Bound to the channel: a sealed value copied to another channel (or tenant) does not open there.
const urlContext = (channelId: string) => `alert-channel-url:${channelId}`;
const signingContext = (channelId: string) => `alert-channel-signing-secret:${channelId}`;

export const sealChannelUrl = (url: string, key: Buffer, channelId: string) => seal(url, key, urlContext(channelId));
export const openChannelUrl = (sealed: string, key: Buffer, channelId: string) =>
  open(sealed, key, urlContext(channelId));
export const sealSigningSecret = (secret: string, key: Buffer, channelId: string) =>
  seal(secret, key, signingContext(channelId));
export const openSigningSecret = (sealed: string, key: Buffer, channelId: string) =>
  open(sealed, key, signingContext(channelId));
