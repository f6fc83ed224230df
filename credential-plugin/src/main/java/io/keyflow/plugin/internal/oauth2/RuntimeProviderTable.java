package io.keyflow.plugin.internal.oauth2;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyflow.api.CredentialException;
import io.keyflow.api.OAuth2Provider;
import io.keyflow.api.OAuth2ProviderStore;
import io.keyflow.plugin.internal.jdbc.KeyflowJdbc;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Table {@code KEYFLOW_OAUTH2_PROVIDER}: providers registered at run time, as JSON, so every engine node knows
 * them and they survive a restart. A provider holds URLs and scopes, never a secret.
 */
public final class RuntimeProviderTable implements OAuth2ProviderStore {

	private final NamedParameterJdbcTemplate jdbc;

	private final Clock clock;

	// private on purpose: the stored format must not follow the application's Jackson settings
	private final ObjectMapper json = new ObjectMapper();

	public RuntimeProviderTable(KeyflowJdbc db, Clock clock) {
		this.jdbc = Objects.requireNonNull(db, "db cannot be null").template();
		this.clock = Objects.requireNonNull(clock, "clock cannot be null");
	}

	@Override
	public void save(OAuth2Provider provider) {
		MapSqlParameterSource params = new MapSqlParameterSource("id", provider.id())
			.addValue("definition", write(provider))
			.addValue("now", KeyflowJdbc.timestamp(this.clock.instant()));
		if (this.jdbc.update("update KEYFLOW_OAUTH2_PROVIDER set DEFINITION_ = :definition, UPDATED_AT_ = :now "
				+ "where ID_ = :id", params) == 0) {
			this.jdbc.update("insert into KEYFLOW_OAUTH2_PROVIDER (ID_, DEFINITION_, CREATED_AT_, UPDATED_AT_) "
					+ "values (:id, :definition, :now, :now)", params);
		}
	}

	@Override
	public Optional<OAuth2Provider> find(String id) {
		return this.jdbc
			.queryForList("select DEFINITION_ from KEYFLOW_OAUTH2_PROVIDER where ID_ = :id",
					new MapSqlParameterSource("id", id), String.class)
			.stream()
			.findFirst()
			.map(this::read);
	}

	@Override
	public List<OAuth2Provider> findAll() {
		return this.jdbc.getJdbcTemplate()
			.queryForList("select DEFINITION_ from KEYFLOW_OAUTH2_PROVIDER order by ID_", String.class)
			.stream()
			.map(this::read)
			.toList();
	}

	private String write(OAuth2Provider provider) {
		try {
			return this.json.writeValueAsString(provider);
		}
		catch (IOException ex) {
			throw new CredentialException("cannot store OAuth2 provider '" + provider.id() + "'", ex);
		}
	}

	private OAuth2Provider read(String definition) {
		try {
			// the record's constructor validates, as for any registration
			return this.json.readValue(definition, OAuth2Provider.class);
		}
		catch (IOException ex) {
			throw new CredentialException("a stored OAuth2 provider definition cannot be read", ex);
		}
	}

}
