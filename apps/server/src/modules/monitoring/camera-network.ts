// Which addresses the server may connect to when it fetches from a camera: only those inside the
// configured camera networks (CAMERA_NETWORKS). A snapshot URL is written by a cadre, and an ONVIF
// answer or a redirect by the camera, so any of them could point at the server's own admin ports,
// the cloud's metadata address or another machine on the inside (SSRF). Every address a host name
// resolves to is checked, and the connection is then made to the checked address itself, so a
// second lookup (DNS rebinding) cannot swap it.
import { lookup } from 'node:dns/promises';
import net from 'node:net';

export type CameraNetworks = { allows(address: string): boolean; empty: boolean };

export function cameraNetworks(cidrs: readonly string[]): CameraNetworks {
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefix = ''] = cidr.split('/');
    const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address, Number(prefix), family);
  }
  return {
    empty: cidrs.length === 0,
    allows(address) {
      const plain = unmapped(address);
      const family = net.isIP(plain);
      if (family === 0) return false;
      return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** An IPv4 address written as IPv6 (::ffff:127.0.0.1 or ::ffff:7f00:1) is judged as the IPv4 address. */
export function unmapped(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(bare);
  if (hex?.[1] && hex[2]) {
    const high = Number.parseInt(hex[1], 16);
    const low = Number.parseInt(hex[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return bare;
}

export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The address to connect to for a URL's host: the host itself when it is an address (the URL parser
 * has already turned decimal, hex and octal forms such as 2130706433 or 0x7f.1 into dotted form),
 * else what it resolves to. Every resolved address must be allowed, not just one: a name that also
 * resolves inside the server's own machine is refused whole.
 */
export async function checkedAddress(url: URL, networks: CameraNetworks, resolve: Resolve = systemResolve): Promise<string | undefined> {
  if (networks.empty) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (net.isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return undefined;
    }
  }
  if (addresses.length === 0 || !addresses.every((a) => networks.allows(a))) return undefined;
  return unmapped(addresses[0] as string);
}
