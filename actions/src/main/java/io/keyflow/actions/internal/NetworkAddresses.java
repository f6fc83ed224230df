package io.keyflow.actions.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses are not the public internet: where an action's request could reach this machine, the internal
 * network or a cloud metadata service. IPv6 forms that carry an IPv4 address (mapped {@code ::ffff:a.b.c.d},
 * compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by that address.
 */
public final class NetworkAddresses {

	private NetworkAddresses() {
	}

	/**
	 * @param address an address
	 * @return what kind of non-public address it is ({@code loopback}, {@code private}, {@code link-local},
	 * {@code unspecified}, ...), or {@code null} for a public address
	 */
	public static String nonPublicKind(InetAddress address) {
		if (address instanceof Inet4Address) {
			return ipv4(address.getAddress());
		}
		if (address instanceof Inet6Address) {
			return ipv6(address.getAddress());
		}
		return "unknown";
	}

	/**
	 * @param address an address
	 * @return whether it is a loopback address, also in an IPv6 form that carries an IPv4 address
	 */
	public static boolean isLoopback(InetAddress address) {
		return "loopback".equals(nonPublicKind(address));
	}

	private static String ipv4(byte[] b) {
		int a0 = b[0] & 0xff;
		int a1 = b[1] & 0xff;
		int a2 = b[2] & 0xff;
		if (a0 == 0) {
			return "unspecified";
		}
		if (a0 == 127) {
			return "loopback";
		}
		if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
			return "private";
		}
		if (a0 == 169 && a1 == 254) {
			return "link-local";
		}
		if (a0 == 100 && (a1 & 0xc0) == 64) {
			return "shared (carrier-grade NAT)";
		}
		if ((a0 == 192 && a1 == 0 && a2 == 0) || (a0 == 198 && (a1 & 0xfe) == 18)) {
			return "reserved";
		}
		if (a0 >= 224) {
			return (a0 < 240) ? "multicast" : "reserved";
		}
		return null;
	}

	private static String ipv6(byte[] b) {
		boolean firstTenZero = true;
		for (int i = 0; i < 10; i++) {
			firstTenZero &= b[i] == 0;
		}
		if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
			return ipv4(embedded(b, 12));
		}
		if (firstTenZero && b[10] == 0 && b[11] == 0) {
			boolean allZero = true;
			for (int i = 12; i < 15; i++) {
				allZero &= b[i] == 0;
			}
			if (allZero && (b[15] == 0 || b[15] == 1)) {
				return (b[15] == 0) ? "unspecified" : "loopback";
			}
			// IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks)
			return ipv4(embedded(b, 12));
		}
		int first = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
		if (first == 0x0064 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
			return ipv4(embedded(b, 12));
		}
		if (first == 0x2002) {
			return ipv4(embedded(b, 2));
		}
		if ((first & 0xfe00) == 0xfc00) {
			return "private";
		}
		if ((first & 0xffc0) == 0xfe80) {
			return "link-local";
		}
		if ((first & 0xffc0) == 0xfec0) {
			return "site-local";
		}
		if ((first & 0xff00) == 0xff00) {
			return "multicast";
		}
		return null;
	}

	private static byte[] embedded(byte[] b, int offset) {
		return new byte[] { b[offset], b[offset + 1], b[offset + 2], b[offset + 3] };
	}

}
