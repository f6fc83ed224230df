package io.keyflow.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the credential an action (a {@code JavaDelegate} used through {@code camunda:class} or
 * {@code camunda:delegateExpression}) needs. Keyflow resolves it before the task runs and hands it over as
 * the transient local variable {@code credential} (see {@link TaskCredentials}).
 *
 * <pre>
 * &#64;RequiresCredential(oauth2Provider = "github", scopes = "repo")
 * public class CreateIssue implements JavaDelegate { ... }
 * </pre>
 *
 * The task's {@code camunda:properties} ({@code credential.*}) override what the annotation says.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RequiresCredential {

	/**
	 * @return the OAuth2 provider id, e.g. {@code github}; takes precedence over {@link #service()}
	 */
	String oauth2Provider() default "";

	/**
	 * @return a service name for non-OAuth2 credentials, e.g. {@code openai}
	 */
	String service() default "";

	/**
	 * @return whether the task fails when no credential is found
	 */
	boolean required() default true;

	/**
	 * @return scopes the credential must have been granted
	 */
	String[] scopes() default {};

	/**
	 * @return accepted credential types; empty means any
	 */
	CredentialType[] types() default {};

	/**
	 * @return an explicit credential key (may be an expression such as {@code ${tenantKey}}); empty to
	 * resolve by principal and tenant default
	 */
	String key() default "";

	/**
	 * @return whether the tenant's default credential may stand in when the process's principal has no usable
	 * credential for the provider; {@link CredentialFallback#NONE} (the default) fails the task instead of
	 * acting under another identity
	 */
	CredentialFallback fallback() default CredentialFallback.NONE;

}
