package io.keyflow.rest.internal;

import java.util.Optional;

import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the Camunda webapps' session authentication against their real classes (the webapps cannot run in this
 * module's tests): the user of this engine counts, another engine's does not, anything else in the attribute is
 * ignored, and Keyflow's own login comes first.
 */
class CamundaUserAuthenticatorUnitTests {

	private final CamundaUserAuthenticator users = new CamundaUserAuthenticator(null, "default");

	@Test
	void fromSessionWhenCamundaWebappAuthenticatedThisEngineThenThatUser() {
		Authentications authentications = new Authentications();
		authentications.addOrReplace(new UserAuthentication("other-engine-user", "other"));
		authentications.addOrReplace(new UserAuthentication("mary", "default"));

		Optional<CamundaUser> user = this.users.fromSession(request(CamundaUserAuthenticator.WEBAPP_SESSION_ATTRIBUTE,
				authentications));

		assertThat(user).contains(new CamundaUser("mary", CamundaUser.Via.CAMUNDA_WEBAPP_SESSION));
	}

	@Test
	void fromSessionWhenCamundaWebappAuthenticatedAnotherEngineOnlyThenNobody() {
		Authentications authentications = new Authentications();
		authentications.addOrReplace(new UserAuthentication("mary", "other"));

		assertThat(this.users.fromSession(request(CamundaUserAuthenticator.WEBAPP_SESSION_ATTRIBUTE, authentications)))
			.isEmpty();
	}

	@Test
	void fromSessionWhenAttributeIsSomethingElseThenNobody() {
		assertThat(this.users.fromSession(request(CamundaUserAuthenticator.WEBAPP_SESSION_ATTRIBUTE, "mary"))).isEmpty();
		assertThat(this.users.fromSession(request(CamundaUserAuthenticator.SESSION_ATTRIBUTE, "bad\nid"))).isEmpty();
		assertThat(this.users.fromSession(new MockHttpServletRequest())).isEmpty();
	}

	@Test
	void fromSessionWhenKeyflowLoginThenKeyflowSessionUser() {
		MockHttpServletRequest request = request(CamundaUserAuthenticator.SESSION_ATTRIBUTE, "john");

		assertThat(this.users.fromSession(request)).contains(new CamundaUser("john", CamundaUser.Via.KEYFLOW_SESSION));
	}

	private static MockHttpServletRequest request(String attribute, Object value) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpSession session = new MockHttpSession();
		session.setAttribute(attribute, value);
		request.setSession(session);
		return request;
	}

}
