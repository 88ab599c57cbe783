package org.jrave.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a numeric option whose every value is meaningful (a random seed): no range check. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface AnySign {}
