package io.keyflow.actions.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.keyflow.api.EgressRefusedException;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The actions' name resolution against the egress rules. DNS is what cannot run here (no name server offline):
 * {@link StandInDnsResolver} answers in its place, and counts how often it was asked.
 */
class EgressDnsResolverUnitTests {

	private final StandInDnsResolver dns = new StandInDnsResolver();

	private final EgressDnsResolver resolver = new EgressDnsResolver(this.dns, EgressRules.of(List.of(), false));

	@Test
	void resolveCheckedWhenNameHasAPublicAndAPrivateAddressThenRefusedNamingThePrivateOne() throws Exception {
		this.dns.answer("mixed.example.com", "93.184.216.34", "10.0.0.7");
		URI target = URI.create("https://mixed.example.com/api");

		assertThatThrownBy(() -> this.resolver.resolveChecked(target, EgressRules.Permit.PUBLIC))
			.isInstanceOf(EgressRefusedException.class)
			.hasMessage("request to https://mixed.example.com refused: its host resolves to 10.0.0.7, a private address; "
					+ "only https to public addresses is allowed unless the URL starts with an entry of "
					+ "keyflow.actions.allowed-urls; nothing was sent");
	}

	@Test
	void resolveCheckedWhenNameRebindsAfterTheCheckThenAsksOnceAndReturnsTheCheckedAddresses() throws Exception {
		this.dns.answer("rebind.example.com", "93.184.216.34");
		this.dns.thenAnswer("rebind.example.com", "127.0.0.1");

		List<InetAddress> addresses = this.resolver.resolveChecked(URI.create("https://rebind.example.com/"),
				EgressRules.Permit.PUBLIC);

		assertThat(addresses).extracting(InetAddress::getHostAddress).containsExactly("93.184.216.34");
		assertThat(this.dns.questions).containsExactly("rebind.example.com");
	}

	@Test
	void resolveWhenUsedAsTheClientsResolverThenOnlyPublicAddresses() throws Exception {
		this.dns.answer("metadata.example.com", "169.254.169.254");
		this.dns.answer("public.example.com", "140.82.112.3");

		assertThatThrownBy(() -> this.resolver.resolve("metadata.example.com")).isInstanceOf(EgressRefusedException.class)
			.hasMessageContaining("169.254.169.254, a link-local address");
		assertThat(this.resolver.resolve("public.example.com")).extracting(InetAddress::getHostAddress)
			.containsExactly("140.82.112.3");
	}

	@Test
	void resolveCheckedWhenLoopbackPermitAndNameResolvesToAPrivateAddressThenRefused() throws Exception {
		this.dns.answer("localhost", "127.0.0.1", "192.168.1.20");

		assertThatThrownBy(() -> this.resolver.resolveChecked(URI.create("http://localhost:8080/"), EgressRules.Permit.LOOPBACK))
			.isInstanceOf(EgressRefusedException.class)
			.hasMessageContaining("192.168.1.20, not a loopback address");
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1",
			"169.254.169.254", "169.254.0.1", "0.0.0.0", "100.100.100.200", "224.0.0.1", "255.255.255.255", "::1", "::",
			"fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
			"::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1" })
	void nonPublicKindWhenNotAPublicAddressThenNamed(String address) throws Exception {
		assertThat(NetworkAddresses.nonPublicKind(InetAddress.getByName(address))).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::ffff:0.0.0.0" })
	void nonPublicKindWhenIpv4MappedIpv6ObjectThenJudgedByTheIpv4Address(String address) throws Exception {
		// InetAddress.getByName turns these into Inet4Address; a resolver may hand over the IPv6 object itself
		byte[] bytes = new byte[16];
		bytes[10] = (byte) 0xff;
		bytes[11] = (byte) 0xff;
		System.arraycopy(InetAddress.getByName(address).getAddress(), 0, bytes, 12, 4);
		InetAddress mapped = Inet6Address.getByAddress(null, bytes, -1);

		assertThat(mapped).isInstanceOf(Inet6Address.class);
		assertThat(NetworkAddresses.nonPublicKind(mapped)).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "140.82.112.3", "172.32.0.1", "100.63.255.255", "2606:4700:4700::1111",
			"::ffff:8.8.8.8" })
	void nonPublicKindWhenPublicAddressThenNull(String address) throws Exception {
		assertThat(NetworkAddresses.nonPublicKind(InetAddress.getByName(address))).isNull();
	}

	/** Stands in for DNS: fixed answers per name, a later answer for rebinding, and the questions asked. */
	static final class StandInDnsResolver implements DnsResolver {

		final List<String> questions = new ArrayList<>();

		private final Map<String, List<InetAddress[]>> answers = new HashMap<>();

		void answer(String name, String... addresses) throws UnknownHostException {
			this.answers.put(name, new ArrayList<>(List.<InetAddress[]>of(addresses(name, addresses))));
		}

		void thenAnswer(String name, String... addresses) throws UnknownHostException {
			this.answers.get(name).add(addresses(name, addresses));
		}

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			this.questions.add(host);
			List<InetAddress[]> queue = this.answers.get(host);
			if (queue == null || queue.isEmpty()) {
				throw new UnknownHostException(host);
			}
			return (queue.size() > 1) ? queue.remove(0) : queue.get(0);
		}

		@Override
		public String resolveCanonicalHostname(String host) {
			return host;
		}

		private static InetAddress[] addresses(String name, String... literals) throws UnknownHostException {
			InetAddress[] result = new InetAddress[literals.length];
			for (int i = 0; i < literals.length; i++) {
				result[i] = InetAddress.getByAddress(name, InetAddress.getByName(literals[i]).getAddress());
			}
			return result;
		}

	}

}
