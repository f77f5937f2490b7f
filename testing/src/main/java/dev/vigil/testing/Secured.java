package dev.vigil.testing;

import dev.vigil.parts.OpenSearchNode;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@link OpenSearchNode} parameter that must be the node with the Security plugin (TLS +
 * basic auth).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Secured {}
