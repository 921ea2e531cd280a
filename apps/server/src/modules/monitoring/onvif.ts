// ONVIF: a camera that speaks it says where its snapshot is (Media service GetSnapshotUri), so a
// cadre gives only the device service address. Three SOAP calls, each with a WS-Security
// UsernameToken whose password is a digest (Base64(SHA-1(nonce + created + password))):
// GetCapabilities → the media service's address, GetProfiles → the first profile, GetSnapshotUri.
// Every call goes through cameraFetch, so the camera's answers point nowhere outside the camera
// networks; the snapshot URL found is checked again when it is fetched.
import { createHash, randomBytes } from 'node:crypto';
import { CameraFetchError, type CameraRequest, cameraFetch } from './camera-fetch.ts';
import type { Credentials } from './digest-auth.ts';

const SOAP = 'http://www.w3.org/2003/05/soap-envelope';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PASSWORD_DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const NONCE_BASE64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const DEVICE = 'http://www.onvif.org/ver10/device/wsdl';
const MEDIA = 'http://www.onvif.org/ver10/media/wsdl';

export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

export function envelope(body: string, credentials: Credentials | null, created: string, nonce: Buffer): string {
  const security = credentials
    ? `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><wsse:UsernameToken>` +
      `<wsse:Username>${escapeXml(credentials.username)}</wsse:Username>` +
      `<wsse:Password Type="${PASSWORD_DIGEST}">${passwordDigest(nonce, created, credentials.password)}</wsse:Password>` +
      `<wsse:Nonce EncodingType="${NONCE_BASE64}">${nonce.toString('base64')}</wsse:Nonce>` +
      `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${SOAP}"><s:Header>${security}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[name] as string);

/** The text of the first element of this local name (any namespace prefix) inside `xml`. */
export function elementText(xml: string, localName: string): string | undefined {
  const match = new RegExp(`<(?:[\\w.-]+:)?${localName}\\b[^>]*>([\\s\\S]*?)</(?:[\\w.-]+:)?${localName}>`).exec(xml);
  return match?.[1] === undefined ? undefined : unescapeXml(match[1].trim());
}

type Call = Omit<CameraRequest, 'method' | 'body' | 'headers'> & { now: () => number };

async function soapCall(url: string, action: string, body: string, call: Call): Promise<string> {
  const created = new Date(call.now()).toISOString();
  const xml = envelope(body, call.credentials ?? null, created, randomBytes(16));
  const answer = await cameraFetch(url, {
    ...call,
    method: 'POST',
    body: Buffer.from(xml, 'utf8'),
    headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` },
  });
  return answer.body.toString('utf8');
}

/** The snapshot URL of the camera's first media profile, found from its device service address. */
export async function discoverSnapshotUri(deviceUrl: string, call: Call): Promise<string> {
  const capabilities = await soapCall(
    deviceUrl,
    `${DEVICE}/GetCapabilities`,
    `<GetCapabilities xmlns="${DEVICE}"><Category>Media</Category></GetCapabilities>`,
    call,
  );
  const media = elementText(capabilities, 'Media');
  const mediaUrl = media && elementText(media, 'XAddr');
  if (!mediaUrl) throw new CameraFetchError('bad_status');
  const profiles = await soapCall(mediaUrl, `${MEDIA}/GetProfiles`, `<GetProfiles xmlns="${MEDIA}"/>`, call);
  const token = /<(?:[\w.-]+:)?Profiles\b[^>]*\btoken="([^"]{1,64})"/.exec(profiles)?.[1];
  if (!token) throw new CameraFetchError('bad_status');
  const snapshot = await soapCall(
    mediaUrl,
    `${MEDIA}/GetSnapshotUri`,
    `<GetSnapshotUri xmlns="${MEDIA}"><ProfileToken>${escapeXml(unescapeXml(token))}</ProfileToken></GetSnapshotUri>`,
    call,
  );
  const uri = elementText(snapshot, 'Uri');
  if (!uri || uri.length > 2000) throw new CameraFetchError('bad_status');
  // Some cameras write the user name and password into the URI: they belong in the sealed
  // credentials, never in a column shown to cadres.
  try {
    const url = new URL(uri);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    throw new CameraFetchError('bad_status');
  }
}
