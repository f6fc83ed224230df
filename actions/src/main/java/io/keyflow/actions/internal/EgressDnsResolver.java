package io.keyflow.actions.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

import io.keyflow.api.EgressRefusedException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The actions' only name resolution. {@link #resolveChecked} resolves a request's host once, checks every address
 * against the {@link EgressRules}, and returns the checked addresses; the request is then sent to the first of
 * them (pinned in the route), so a name that answers differently a moment later (DNS rebinding) changes nothing.
 * As the HTTP client's own {@link DnsResolver} (a connection without a pinned address, which the actions never
 * open) it allows public addresses only.
 */
public final class EgressDnsResolver implements DnsResolver {

	private final DnsResolver system;

	private final EgressRules rules;

	/**
	 * @param system the resolver that asks DNS ({@link SystemDefaultDnsResolver#INSTANCE}; tests pass a stand-in)
	 * @param rules the rules the addresses are checked against
	 */
	public EgressDnsResolver(DnsResolver system, EgressRules rules) {
		this.system = Objects.requireNonNull(system, "system cannot be null");
		this.rules = Objects.requireNonNull(rules, "rules cannot be null");
	}

	/**
	 * @param rules the rules the addresses are checked against
	 * @return a resolver over the system's DNS
	 */
	public static EgressDnsResolver of(EgressRules rules) {
		return new EgressDnsResolver(SystemDefaultDnsResolver.INSTANCE, rules);
	}

	/**
	 * Resolves the target's host once and checks every address.
	 * @param target the request's URL
	 * @param permit what {@link EgressRules#check} answered for it
	 * @return the checked addresses, at least one
	 * @throws UnknownHostException when the host has no address
	 * @throws EgressRefusedException when an address is not allowed
	 */
	public List<InetAddress> resolveChecked(URI target, EgressRules.Permit permit) throws UnknownHostException {
		List<InetAddress> addresses = List.of(this.system.resolve(EgressRules.bare(target.getHost())));
		if (addresses.isEmpty()) {
			throw new UnknownHostException(target.getHost());
		}
		this.rules.checkAddresses(target, permit, addresses);
		return addresses;
	}

	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		InetAddress[] addresses = this.system.resolve(host);
		this.rules.checkAddresses(URI.create("https://" + ((host.indexOf(':') >= 0) ? "[" + host + "]" : host)),
				EgressRules.Permit.PUBLIC, List.of(addresses));
		return addresses;
	}

	@Override
	public String resolveCanonicalHostname(String host) throws UnknownHostException {
		// never asked: the actions turn off SPNEGO/Kerberos; answering with the name itself asks DNS nothing more
		return host;
	}

}
