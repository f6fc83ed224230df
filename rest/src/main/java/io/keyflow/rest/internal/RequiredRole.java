package io.keyflow.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.keyflow.rest.ApiKeyRole;

/**
 * The least role an endpoint needs. An endpoint of the REST API without it (and without {@link PublicEndpoint})
 * is refused to everyone: secure by default.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface RequiredRole {

	ApiKeyRole value();

}
