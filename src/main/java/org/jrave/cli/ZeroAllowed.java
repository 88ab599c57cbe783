package org.jrave.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a numeric option for which 0 means something (none, no limit, most likely) and is accepted;
 * negative values are still refused. Numeric options without a mark must be positive.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface ZeroAllowed {}
